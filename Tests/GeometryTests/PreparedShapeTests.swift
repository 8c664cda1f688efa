import Testing
import Geometry

/// Membership is a prepared-geometry predicate; it must agree with the plain one.
@Suite("PreparedShape")
struct PreparedShapeTests {
    static func testShapes() throws -> [(String, Shape)] {
        [
            ("star", try Shape.polygon(exterior: star(center: p(100, 50), outer: 80, ratio: 0.55))),
            ("square with holes", try Shape.polygon(exterior: square(0, 0, 200), holes: [square(20, 20, 50), star(center: p(140, 140), outer: 40)])),
            ("multipolygon", try Shape.multiPolygon([
                try Shape.polygon(exterior: star(center: p(0, 0), outer: 60)),
                try Shape.polygon(exterior: square(100, 100, 80), holes: [square(120, 120, 20)]),
            ])),
            ("corridor", try Shape.lineString([p(-100, -50), p(50, 0), p(150, 200)]).buffer(20)),
            ("line", try Shape.lineString([p(-100, -50), p(50, 0), p(150, 200)])),
        ]
    }

    @Test("contains, covers, isWithinDistance and distance agree with the unprepared shape on random points")
    func agreesWithUnprepared() throws {
        for (name, shape) in try Self.testShapes() {
            let prepared = try shape.prepared()
            var rng = SplitMix64(seed: 42)
            let area = shape.bounds.expanded(by: 30)
            // Random points plus every vertex (on the boundary) and the centroid.
            var points = (0..<3000).map { _ in rng.point(in: area) }
            points += shape.polygons.flatMap { $0.flatMap { $0 } } + shape.vertices + [shape.centroid]
            var inside = 0, mismatches = 0
            for q in points {
                let c = shape.contains(q), cv = shape.covers(q), d = shape.distance(to: q)
                if c { inside += 1 }
                if prepared.contains(q) != c { mismatches += 1; Issue.record("\(name): contains \(q)") }
                if prepared.covers(q) != cv { mismatches += 1; Issue.record("\(name): covers \(q)") }
                if !close(prepared.distance(to: q), d, 1e-9) { mismatches += 1; Issue.record("\(name): distance \(q)") }
                for r in [0.5, 5.0, 12.0] where abs(d - r) > 1e-9 {
                    if prepared.isWithinDistance(q, r) != (d <= r) {
                        mismatches += 1; Issue.record("\(name): isWithinDistance \(q) \(r)")
                    }
                }
                if mismatches > 10 { break }
            }
            if shape.kind != .lineString { #expect(inside > 100, "\(name): only \(inside) points inside") }
        }
    }

    @Test("boundary points: covered but not contained")
    func boundary() throws {
        let prepared = try Shape.polygon(exterior: square(0, 0, 10)).prepared()
        for q in [p(0, 0), p(5, 0), p(10, 7), p(0, 10)] {
            #expect(!prepared.contains(q) && prepared.covers(q))
            #expect(prepared.distance(to: q) == 0)
        }
        #expect(prepared.isWithinDistance(p(13, 5), 3))
        #expect(!prepared.isWithinDistance(p(13, 5), 2.999))
        #expect(prepared.isWithinDistance(p(13, 14), 5))
        #expect(!prepared.isWithinDistance(p(13, 14), 4.999))
    }

    @Test("the segment between two fixes outside a zone can still cross it")
    func segmentCrossing() throws {
        let zone = try Shape.polygon(exterior: star(center: p(0, 0), outer: 30)).prepared()
        let before = p(-50, 2), after = p(50, -3)
        #expect(!zone.covers(before) && !zone.covers(after))
        #expect(zone.intersects(try Shape.lineString([before, after])))
        #expect(zone.intersects(segmentFrom: before, to: after))
        // Passing by: no.
        let by1 = p(-50, 40), by2 = p(50, 40)
        #expect(!zone.intersects(try Shape.lineString([by1, by2])))
        #expect(!zone.intersects(segmentFrom: by1, to: by2))
        // A segment whose envelope overlaps the zone's but which misses it (between two arms).
        let notch = star(center: p(0, 0), outer: 30)[1]   // an inner vertex
        let outward = p(notch.x * 1.2, notch.y * 1.2)
        #expect(!zone.intersects(segmentFrom: outward, to: p(outward.x * 1.01, outward.y * 1.01)))
        // A zero-length segment is a point.
        #expect(zone.intersects(segmentFrom: p(1, 1), to: p(1, 1)))
        #expect(!zone.intersects(segmentFrom: p(100, 1), to: p(100, 1)))
    }

    @Test("a prepared shape keeps its shape alive")
    func keepsShape() throws {
        var prepared: PreparedShape?
        do {
            let s = try Shape.polygon(exterior: square(0, 0, 10))
            prepared = try s.prepared()
        }
        #expect(prepared?.contains(p(5, 5)) == true)
        #expect(prepared?.shape.area == 100)
        #expect(prepared?.bounds == Bounds(minX: 0, minY: 0, maxX: 10, maxY: 10))
    }

    @Test("cells known inside or outside answer covers and contains exactly as GEOS does, on the edge and off the grid")
    func coveredCellsAgree() throws {
        for (name, shape) in try Self.testShapes() {
            let prepared = try shape.prepared()
            for target in [16, 1 << 14] {
                let cells = CoveredCells(prepared, targetCells: target)
                var rng = SplitMix64(seed: 7)
                let area = shape.bounds.expanded(by: 30)
                var points = (0..<20_000).map { _ in rng.point(in: area) }
                points += shape.polygons.flatMap { $0.flatMap { $0 } } + shape.vertices + [shape.centroid]
                var mismatches = 0
                for q in points where mismatches < 10 {
                    if cells.covers(q) != prepared.covers(q) { mismatches += 1; Issue.record("\(name) \(target): covers \(q)") }
                    if cells.contains(q) != prepared.contains(q) { mismatches += 1; Issue.record("\(name) \(target): contains \(q)") }
                }
            }
        }
    }

    @Test("a long thin boundary (100 km by 1 m) is classified in a bounded number of cells, still exactly")
    func coveredCellsBounded() throws {
        let thin = try Shape.polygon(exterior: [p(0, 0), p(100_000, 0), p(100_000, 1), p(0, 1)]).prepared()
        let cells = CoveredCells(thin, targetCells: 1 << 14)
        #expect(cells.cellCount <= 4 << 14, "\(cells.cellCount) cells")
        for q in [p(5, 0.5), p(99_999.5, 0.25), p(50_000, 2), p(-1, 0.5), p(50_000, 0), p(100_000, 1)] {
            #expect(cells.covers(q) == thin.covers(q) && cells.contains(q) == thin.contains(q), "\(q)")
        }
    }
}
