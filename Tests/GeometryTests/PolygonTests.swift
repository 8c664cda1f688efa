import Testing
import Geometry

@Suite("Shapes: points, lines, polygons with holes, multipolygons, validity")
struct PolygonTests {
    @Test("a square knows its kind, area, perimeter, centroid and bounds")
    func square10() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 10))
        #expect(s.kind == .polygon)
        #expect(s.area == 100)
        #expect(s.length == 40)
        #expect(s.centroid == p(5, 5))
        #expect(s.bounds == Bounds(minX: 0, minY: 0, maxX: 10, maxY: 10))
        #expect(s.validityProblem == nil)
        #expect(s.wkt == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")
        #expect(s.exteriorRings == [square(0, 0, 10) + [p(0, 0)]])
    }

    @Test("contains is strict, covers includes the boundary")
    func containsAndCovers() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 10))
        #expect(s.contains(p(5, 5)))
        #expect(!s.contains(p(10, 5)))
        #expect(s.covers(p(10, 5)))
        #expect(!s.contains(p(10.001, 5)) && !s.covers(p(10.001, 5)))
    }

    @Test("an open ring is closed automatically; an already closed ring is left as it is")
    func ringClosing() throws {
        let open = try Shape.polygon(exterior: square(0, 0, 10))
        let closed = try Shape.polygon(exterior: square(0, 0, 10) + [p(0, 0)])
        #expect(open.wkt == closed.wkt)
    }

    @Test("a point in a hole is not contained; the hole is cut out of the area")
    func holes() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 100), holes: [square(40, 40, 20), square(5, 5, 10)])
        #expect(s.validityProblem == nil)
        #expect(s.area == 10_000 - 400 - 100)
        #expect(!s.contains(p(50, 50)))
        #expect(!s.contains(p(10, 10)))
        #expect(s.contains(p(30, 30)))
        #expect(!s.contains(p(40, 50)) && s.covers(p(40, 50)))  // on the hole's edge
        #expect(s.polygons.count == 1 && s.polygons[0].count == 3)
        #expect(try s.prepared().contains(p(30, 30)) && !s.prepared().contains(p(50, 50)))
    }

    @Test("a multipolygon contains the points of each part and nothing between them")
    func multiPolygon() throws {
        let a = try Shape.polygon(exterior: square(0, 0, 10))
        let b = try Shape.polygon(exterior: square(20, 0, 10), holes: [square(24, 4, 2)])
        let m = try Shape.multiPolygon([a, b])
        #expect(m.kind == .multiPolygon)
        #expect(m.validityProblem == nil)
        #expect(m.area == 196)
        #expect(m.contains(p(5, 5)) && m.contains(p(21, 1)))
        #expect(!m.contains(p(15, 5)))
        #expect(!m.contains(p(25, 5)))  // in b's hole
        #expect(m.exteriorRings.count == 2)
        #expect(m.bounds == Bounds(minX: 0, minY: 0, maxX: 30, maxY: 10))
        // Members that are multipolygons are flattened.
        let c = try Shape.polygon(exterior: square(40, 0, 10))
        let flat = try Shape.multiPolygon([m, c])
        #expect(flat.exteriorRings.count == 3)
        #expect(flat.area == 296)
    }

    @Test("a multipolygon of non-polygons or of nothing is refused")
    func multiPolygonMembers() throws {
        let line = try Shape.lineString([p(0, 0), p(1, 1)])
        let e1 = #expect(throws: GeometryError.self) { try Shape.multiPolygon([line]) }
        #expect(e1 == .invalidGeometry("multipolygon member 0 is a lineString, not a polygon"))
        let e2 = #expect(throws: GeometryError.self) { try Shape.multiPolygon([]) }
        guard case .tooFewPoints = e2 else { Issue.record("expected tooFewPoints, got \(String(describing: e2))"); return }
    }

    @Test("overlapping multipolygon parts are reported invalid")
    func overlappingParts() throws {
        let m = try Shape.multiPolygon([try Shape.polygon(exterior: square(0, 0, 10)),
                                        try Shape.polygon(exterior: square(5, 5, 10))])
        #expect(m.validityProblem != nil)
    }

    @Test("a self-intersecting bow-tie reports a validity problem naming Self-intersection")
    func bowTie() throws {
        let s = try Shape.polygon(exterior: [p(0, 0), p(10, 10), p(10, 0), p(0, 10)])
        let problem = try #require(s.validityProblem)
        #expect(problem.contains("Self-intersection"), "\(problem)")
        #expect(problem.contains("[5 5]"), "\(problem)")
        let error = #expect(throws: GeometryError.self) { try s.validate() }
        #expect(error == .invalidGeometry(problem))
    }

    @Test("a hole outside its shell is reported")
    func holeOutside() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 10), holes: [square(20, 20, 2)])
        #expect(s.validityProblem?.contains("Hole lies outside shell") == true, "\(s.validityProblem ?? "nil")")
    }

    @Test("a ring with fewer than 3 distinct points throws tooFewPoints",
          arguments: [
              [LocalPoint](),
              [p(0, 0)],
              [p(0, 0), p(1, 1)],
              [p(0, 0), p(1, 1), p(0, 0)],
              [p(0, 0), p(1, 1), p(1, 1), p(0, 0), p(1, 1)],
          ])
    func tooFewRingPoints(ring: [LocalPoint]) {
        let error = #expect(throws: GeometryError.self) { try Shape.polygon(exterior: ring) }
        guard case .tooFewPoints(let message) = error else {
            Issue.record("expected tooFewPoints, got \(String(describing: error))"); return
        }
        #expect(message.contains("exterior ring"))
    }

    @Test("a hole with too few points throws tooFewPoints naming the hole")
    func tooFewHolePoints() {
        let error = #expect(throws: GeometryError.self) {
            try Shape.polygon(exterior: square(0, 0, 10), holes: [square(1, 1, 2), [p(5, 5), p(6, 6)]])
        }
        guard case .tooFewPoints(let message) = error else {
            Issue.record("expected tooFewPoints, got \(String(describing: error))"); return
        }
        #expect(message.contains("hole 1"), "\(message)")
    }

    @Test("a line needs 2 distinct points")
    func tooFewLinePoints() throws {
        for pts in [[], [p(1, 1)], [p(1, 1), p(1, 1)]] {
            let error = #expect(throws: GeometryError.self) { try Shape.lineString(pts) }
            guard case .tooFewPoints = error else { Issue.record("expected tooFewPoints for \(pts)"); continue }
        }
        let line = try Shape.lineString([p(0, 0), p(3, 4), p(3, 10)])
        #expect(line.kind == .lineString)
        #expect(line.length == 11)
        #expect(line.area == 0)
        #expect(line.vertices == [p(0, 0), p(3, 4), p(3, 10)])
    }

    @Test("a point is a point")
    func point() throws {
        let s = try Shape.point(p(3, 4))
        #expect(s.kind == .point)
        #expect(s.bounds == Bounds(minX: 3, minY: 4, maxX: 3, maxY: 4))
        #expect(s.centroid == p(3, 4))
        #expect(s.distance(to: p(0, 0)) == 5)
        #expect(s.wkt == "POINT (3 4)")
    }

    @Test("non-finite coordinates are refused")
    func nonFinite() {
        #expect(throws: GeometryError.self) { try Shape.point(p(.nan, 0)) }
        #expect(throws: GeometryError.self) { try Shape.lineString([p(0, 0), p(.infinity, 1)]) }
        #expect(throws: GeometryError.self) { try Shape.polygon(exterior: [p(0, 0), p(1, 0), p(1, .nan)]) }
    }

    @Test("GEOS errors carry GEOS's message")
    func geosError() {
        let error = #expect(throws: GeometryError.self) { try Shape.fromWKT("POLYGON ((0 0, 1 0") }
        guard case .geos(let message) = error else {
            Issue.record("expected .geos, got \(String(describing: error))"); return
        }
        #expect(message.contains("ParseException"), "\(message)")
    }

    @Test("WKT reads back what it writes")
    func wktRoundTrip() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 100), holes: [square(40, 40, 20)])
        let t = try Shape.fromWKT(s.wkt)
        #expect(t.wkt == s.wkt)
        #expect(t.kind == .polygon)
    }
}

@Suite("Bounds")
struct BoundsTests {
    let b = Bounds(minX: 0, minY: 0, maxX: 10, maxY: 5)

    @Test("contains is inclusive")
    func contains() {
        #expect(b.contains(p(0, 0)) && b.contains(p(10, 5)) && b.contains(p(3, 3)))
        #expect(!b.contains(p(-0.1, 0)) && !b.contains(p(3, 5.1)))
    }

    @Test("distance is 0 inside, to the nearest edge or corner outside")
    func distance() {
        #expect(b.distance(to: p(5, 2)) == 0)
        #expect(b.distance(to: p(13, 2)) == 3)
        #expect(b.distance(to: p(5, -2)) == 2)
        #expect(b.distance(to: p(13, 9)) == 5)
        #expect(Bounds.empty.distance(to: p(0, 0)) == .infinity)
    }

    @Test("expanded grows every side")
    func expanded() {
        #expect(b.expanded(by: 2) == Bounds(minX: -2, minY: -2, maxX: 12, maxY: 7))
        #expect(b.expanded(by: 2).contains(p(-2, 7)))
    }
}
