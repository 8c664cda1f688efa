import Foundation
@testable import Geometry
import Testing

/// `contains`, `covers` and `isWithinDistance` of a polygon are answered in Swift (`PointInArea`)
/// and must give exactly GEOS's answer: every query here is asked both ways.
@Suite("point in area: GEOS's answer without GEOS")
struct PointInAreaTests {
    static func shapes() throws -> [(String, Shape)] {
        let rotated = (0..<4).map { i -> LocalPoint in
            let a = Double(i) * .pi / 2 + 0.3
            return p(1500 + 40 * cos(a), -900 + 40 * sin(a))
        }
        return [
            ("star", try Shape.polygon(exterior: star(center: p(100, 50), outer: 80, ratio: 0.55))),
            ("square with holes", try Shape.polygon(exterior: square(0, 0, 200), holes: [square(20, 20, 50), star(center: p(140, 140), outer: 40)])),
            ("multipolygon", try Shape.multiPolygon([
                try Shape.polygon(exterior: star(center: p(0, 0), outer: 60)),
                try Shape.polygon(exterior: square(100, 100, 80), holes: [square(120, 120, 20)]),
            ])),
            ("corridor", try Shape.lineString([p(-100, -50), p(50, 0), p(150, 200)]).buffer(20)),
            ("axis-aligned rectangle far from the origin", try Shape.polygon(exterior: square(1733.25, -1204.5, 37.75))),
            ("rotated rectangle", try Shape.polygon(exterior: rotated)),
            ("many vertices", try Shape.polygon(exterior: star(center: p(-800, 400), outer: 300, ratio: 0.9, arms: 400))),
            ("sliver", try Shape.polygon(exterior: [p(0, 0), p(500, 0.01), p(1000, 0)])),
        ]
    }

    /// Random points, every vertex, every edge's midpoint, points at each vertex's y (rays
    /// through vertices), points on the rings' horizontal edges, and points at a set distance
    /// off each edge.
    static func probes(_ shape: Shape, count: Int) -> [LocalPoint] {
        var rng = SplitMix64(seed: 7)
        let b = shape.bounds.expanded(by: 15)
        var out = (0..<count).map { _ in rng.point(in: b) }
        for ring in shape.polygons.flatMap({ $0 }) {
            for (a, c) in zip(ring, ring.dropFirst()) {
                out.append(a)
                out.append(p((a.x + c.x) / 2, (a.y + c.y) / 2))
                out.append(p(Double.random(in: b.minX...b.maxX, using: &rng), a.y))
                out.append(p(a.x - 1e-9, a.y))
                if a.y == c.y { out.append(p(a.x + (c.x - a.x) * 0.25, a.y)) }
                let len = ((c.x - a.x) * (c.x - a.x) + (c.y - a.y) * (c.y - a.y)).squareRoot()
                if len > 0 {
                    let (nx, ny) = (-(c.y - a.y) / len, (c.x - a.x) / len)
                    for d in [0.5, 3.0, -3.0] { out.append(p((a.x + c.x) / 2 + nx * d, (a.y + c.y) / 2 + ny * d)) }
                }
            }
        }
        return out
    }

    @Test("contains, covers and isWithinDistance agree with GEOS on random and boundary points")
    func agreesWithGEOS() throws {
        for (name, shape) in try Self.shapes() {
            let prepared = try shape.prepared()
            var mismatches = 0
            for q in Self.probes(shape, count: 4000) where mismatches < 10 {
                if prepared.contains(q) != prepared.containsByGEOS(q) { mismatches += 1; Issue.record("\(name): contains \(q)") }
                if prepared.covers(q) != prepared.coversByGEOS(q) { mismatches += 1; Issue.record("\(name): covers \(q)") }
                for r in [0.0, 0.5, 3.0, 12.0] where prepared.bounds.distance(to: q) <= r {
                    if prepared.isWithinDistance(q, r) != prepared.isWithinDistanceByGEOS(q, r) {
                        mismatches += 1; Issue.record("\(name): isWithinDistance \(q) \(r)")
                    }
                }
            }
        }
    }

    @Test("the Swift answer is the one given: GEOS is asked only where double precision cannot decide")
    func decidesWithoutGEOS() throws {
        let shape = try Shape.polygon(exterior: star(center: p(100, 50), outer: 80, ratio: 0.55))
        let area = try #require(PointInArea(shape))
        var undecided = 0
        let probes = Self.probes(shape, count: 2000)
        for q in probes where area.locate(q) == nil { undecided += 1 }
        #expect(undecided * 100 < probes.count, "\(undecided) of \(probes.count) left to GEOS")
        #expect(area.locate(p(100, 50)) == .interior && area.locate(p(100, 200)) == .exterior)
        #expect(PointInArea(try Shape.lineString([p(0, 0), p(1, 1)])) == nil, "lines are GEOS's")
    }

    @Test("isWithinDistance of lines (a zone's edge) agrees with GEOS on random, vertex and near-edge points")
    func linesAgreeWithGEOS() throws {
        var lines: [(String, Shape)] = [
            ("polyline", try Shape.lineString([p(-100, -50), p(50, 0), p(150, 200), p(150, 200), p(160, 180)])),
            ("vertical and horizontal", try Shape.lineString([p(0, 0), p(0, 100), p(100, 100)])),
        ]
        for (name, polygon) in try Self.shapes() where name != "many vertices" {
            lines.append(("edge of \(name)", try polygon.boundary()))
        }
        var checked = 0
        for (name, line) in lines {
            let prepared = try line.prepared()
            #expect(PointToLines(line) != nil, "\(name): answered in Swift")
            var rng = SplitMix64(seed: 11)
            let b = line.bounds.expanded(by: 15)
            var probes = (0..<3000).map { _ in rng.point(in: b) }
            for part in line.lines {
                for (a, c) in zip(part, part.dropFirst()) {
                    probes += [a, p((a.x + c.x) / 2, (a.y + c.y) / 2)]
                    let len = ((c.x - a.x) * (c.x - a.x) + (c.y - a.y) * (c.y - a.y)).squareRoot()
                    if len > 0 {
                        let (nx, ny) = (-(c.y - a.y) / len, (c.x - a.x) / len)
                        for d in [0.5, 3.0, -3.0, 12.0] { probes.append(p((a.x + c.x) / 2 + nx * d, (a.y + c.y) / 2 + ny * d)) }
                    }
                }
            }
            var mismatches = 0
            for q in probes where mismatches < 10 {
                for r in [0.0, 0.5, 3.0, 12.0] where prepared.bounds.distance(to: q) <= r {
                    checked += 1
                    if prepared.isWithinDistance(q, r) != prepared.isWithinDistanceByGEOS(q, r) {
                        mismatches += 1; Issue.record("\(name): isWithinDistance \(q) \(r)")
                    }
                }
            }
        }
        #expect(checked > 20_000)
        #expect(PointToLines(try Shape.polygon(exterior: square(0, 0, 10))) == nil, "areas are PointInArea's")
    }
}
