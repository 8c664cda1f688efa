import CordonCore
import CordonService
import Foundation
@testable import Geometry
import Testing

/// Zone membership is answered in Swift (docs/performance.md, "GEOS's answer without GEOS"):
/// on the sites people use, every zone and the fence give GEOS's answer at every point tried.
@Suite("zone geometry: the demo park's and the scenario park's zones answer as GEOS does")
struct ZoneGeometryParityTests {
    static let sites = ["fixtures/scenario-park.geojson", "geofences/demo-park.geojson"]

    @Test("contains, covers, exit tolerance and the edge at random points, vertices and on the edges of every zone", arguments: sites)
    func parity(_ relative: String) throws {
        let root = ScenarioFixture.root.deletingLastPathComponent()
        let site = try SiteFile.load(path: root.appendingPathComponent(relative).path)
        var shapes = site.zones.map { ($0.id, $0.shape, $0.exitToleranceM) }
        shapes.append(("fence", try site.boundary.shape.prepared(), 0))
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for (id, shape, tolerance) in shapes {
            let b = shape.bounds.expanded(by: tolerance + 5)
            var points = (0..<2000).map { _ in LocalPoint(x: .random(in: b.minX...b.maxX, using: &rng), y: .random(in: b.minY...b.maxY, using: &rng)) }
            for ring in shape.shape.polygons.flatMap({ $0 }) {
                for (a, c) in zip(ring, ring.dropFirst()) {
                    points += [a, LocalPoint(x: (a.x + c.x) / 2, y: (a.y + c.y) / 2), LocalPoint(x: .random(in: b.minX...b.maxX, using: &rng), y: a.y)]
                }
            }
            for q in points {
                #expect(shape.contains(q) == shape.containsByGEOS(q), "\(relative) \(id): contains \(q)")
                #expect(shape.covers(q) == shape.coversByGEOS(q), "\(relative) \(id): covers \(q)")
                #expect(shape.isWithinDistance(q, tolerance) == shape.isWithinDistanceByGEOS(q, tolerance), "\(relative) \(id): within \(tolerance) m of \(q)")
                checked += 1
            }
            // A fix too coarse for the zone asks whether its disc reaches the edge (Zone.isUndecided).
            if let zone = site.zones.first(where: { $0.id == id }), let edge = zone.edge {
                for q in points {
                    for accuracy in [1.0, 5.0, 20.0] where edge.bounds.distance(to: q) <= accuracy {
                        #expect(edge.isWithinDistance(q, accuracy) == edge.isWithinDistanceByGEOS(q, accuracy),
                                "\(relative) \(id): edge within \(accuracy) m of \(q)")
                    }
                }
            }
        }
        #expect(checked > 10_000)
    }
}
