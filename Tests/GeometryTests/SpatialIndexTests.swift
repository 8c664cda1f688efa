import Testing
import Geometry

/// Membership is a prepared predicate behind a GEOS STRtree.
@Suite("SpatialIndex")
struct SpatialIndexTests {
    /// ~1000 random star polygons (20 vertices, 10-80 m, overlaps allowed) over the site area.
    static func randomZones(count: Int, seed: UInt64) throws -> [Shape] {
        var rng = SplitMix64(seed: seed)
        return try (0..<count).map { _ in
            let u = Double.random(in: 0...1, using: &rng)
            return try Shape.polygon(exterior: star(
                center: rng.point(in: siteArea.expanded(by: -50)),
                outer: 10 + 70 * u * u * u,
                ratio: Double.random(in: 0.55...0.8, using: &rng),
                rotation: Double.random(in: 0...6.3, using: &rng)))
        }
    }

    @Test("candidates + prepared contains give exactly the brute-force answer on 10,000 random points")
    func matchesBruteForce() throws {
        let zones = try Self.randomZones(count: 1000, seed: 1)
        let prepared = try zones.map { try $0.prepared() }
        let index = try SpatialIndex(zones.enumerated().map { ($0.element, $0.offset) })
        #expect(index.count == 1000)
        var rng = SplitMix64(seed: 2)
        var hits = 0
        for _ in 0..<10_000 {
            let q = rng.point(in: siteArea)
            let brute = (0..<zones.count).filter { prepared[$0].contains(q) }
            let candidates = index.candidates(at: q)
            #expect(candidates == candidates.sorted())
            let viaIndex = candidates.filter { prepared[$0].contains(q) }
            #expect(viaIndex == brute, "\(q)")
            // Every candidate's envelope holds the point; every envelope holding it is a candidate.
            #expect(candidates == (0..<zones.count).filter { prepared[$0].bounds.contains(q) })
            var each: [Int] = []
            index.forEachCandidate(at: q, within: 0) { each.append($0) }
            #expect(each.sorted() == candidates)
            hits += brute.count
        }
        #expect(hits > 200, "only \(hits) points fell in a zone: the test would prove little")
    }

    @Test("within: a distance expands the query square")
    func withinDistance() throws {
        let a = try Shape.polygon(exterior: square(0, 0, 10))
        let b = try Shape.polygon(exterior: square(100, 0, 10))
        let index = try SpatialIndex([(a, 7), (b, 3)])
        let q = p(15, 5)   // 5 m east of a's envelope
        #expect(index.candidates(at: q) == [])
        #expect(index.candidates(at: q, within: 4.9) == [])
        #expect(index.candidates(at: q, within: 5) == [7])
        #expect(index.candidates(at: q, within: 85) == [3, 7])
        #expect(index.candidates(at: p(5, 5)) == [7])
        #expect(index.candidates(at: p(10, 10)) == [7])   // envelope boundaries count
        // The query is a square, not a disc: a corner 6 m away diagonally is found with 5.
        #expect(index.candidates(at: p(15, 15), within: 5) == [7])
    }

    @Test("candidates in bounds")
    func inBounds() throws {
        let zones = try (0..<10).map { try Shape.polygon(exterior: square(Double($0) * 20, 0, 10)) }
        // Square i spans x 20i...20i+10 and carries payload 100 - i.
        let index = try SpatialIndex(zones.enumerated().map { ($0.element, 100 - $0.offset) })
        #expect(index.candidates(in: Bounds(minX: 15, minY: 5, maxX: 45, maxY: 6)) == [98, 99])
        #expect(index.candidates(in: Bounds(minX: 10, minY: 0, maxX: 20, maxY: 0)) == [99, 100])   // touching counts
        #expect(index.candidates(in: Bounds(minX: -1000, minY: -1000, maxX: 1000, maxY: 1000)) == Array(91...100))
        #expect(index.candidates(in: Bounds(minX: 11, minY: 0, maxX: 19, maxY: 10)) == [])
        #expect(index.candidates(in: .empty) == [])
    }

    @Test("payloads are returned as given, duplicates and negatives included")
    func payloads() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 10))
        let index = try SpatialIndex([(s, -5), (s, 0), (s, 0), (s, Int.max)])
        #expect(index.candidates(at: p(1, 1)) == [-5, 0, 0, Int.max])
    }

    @Test("a query made from inside another query's body on the same index sees its own results")
    func nestedQueries() throws {
        let zones = try (0..<5).map { try Shape.polygon(exterior: square(Double($0) * 20, 0, 10)) }
        let index = try SpatialIndex(zones.enumerated().map { ($0.element, $0.offset) })
        var pairs: [[Int]] = []
        index.forEachCandidate(at: p(25, 5), within: 16) { outer in   // squares 0, 1, 2
            pairs.append([outer] + index.candidates(at: p(Double(outer) * 20 + 5, 5)))
        }
        #expect(pairs.sorted { $0[0] < $1[0] } == [[0, 0], [1, 1], [2, 2]])
    }

    @Test("an empty index finds nothing")
    func empty() throws {
        let index = try SpatialIndex([])
        #expect(index.count == 0)
        #expect(index.candidates(at: p(0, 0), within: 1000) == [])
        #expect(index.candidates(in: Bounds(minX: -1, minY: -1, maxX: 1, maxY: 1)) == [])
    }

    @Test("the index keeps its shapes alive")
    func keepsShapes() throws {
        var index: SpatialIndex?
        do {
            index = try SpatialIndex([(try Shape.polygon(exterior: square(0, 0, 10)), 1)], nodeCapacity: 4)
        }
        #expect(index?.candidates(at: p(5, 5)) == [1])
    }

    @Test("point queries answered by the grid find exactly what the STRtree finds, at every distance, inside and far outside")
    func gridMatchesTree() throws {
        let zones = try Self.randomZones(count: 1000, seed: 3)
        let index = try SpatialIndex(zones.enumerated().map { ($0.element, $0.offset) })
        #expect(index.answersPointsFromGrid)
        var rng = SplitMix64(seed: 4)
        let wide = siteArea.expanded(by: 200)
        for n in 0..<20_000 {
            let q = rng.point(in: wide)
            // Half within the grid's margin (answered by it), some on it exactly, some beyond (the tree).
            let d = n % 10 == 0 ? SpatialIndex.gridMargin : Double.random(in: 0...(SpatialIndex.gridMargin * 2), using: &rng)
            let tree = index.candidates(in: Bounds(minX: q.x - d, minY: q.y - d, maxX: q.x + d, maxY: q.y + d))
            #expect(index.candidates(at: q, within: d) == tree, "\(q) within \(d)")
        }
        // A point on a cell's edge, and numbers that are no position at all.
        for q in [LocalPoint(x: -2000, y: -1500), LocalPoint(x: .nan, y: 0), LocalPoint(x: .infinity, y: 1), LocalPoint(x: 1e300, y: -1e300)] {
            var found: [Int] = []
            index.forEachCandidate(at: q, within: 1) { found.append($0) }
            #expect(found.sorted() == (q.x.isFinite && q.y.isFinite ? index.candidates(in: Bounds(minX: q.x - 1, minY: q.y - 1, maxX: q.x + 1, maxY: q.y + 1)) : []))
        }
    }

    @Test("thousands of zones each over the whole site: no grid of billions of entries, the STRtree answers")
    func gridBounded() throws {
        let big = try (0..<3000).map { i in (try Shape.polygon(exterior: square(-2000 + Double(i % 7), -1500, 4000)), i) }
        let index = try SpatialIndex(big)
        #expect(!index.answersPointsFromGrid)
        #expect(index.candidates(at: p(10, 10), within: 1).count == 3000)
    }
}
