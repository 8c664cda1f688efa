/// Where a point lies against a polygonal shape, answered in Swift the way GEOS answers it for
/// a prepared polygon, without the temporary GEOS point every GEOS 3.11 query needs (a heap
/// allocation per query; `GEOSPreparedContainsXY_r` came in 3.12).
///
/// It is GEOS's own method, step for step: a prepared polygon locates a point by counting how
/// many of its ring segments cross a ray from the point towards +x (`RayCrossingCounter`, over
/// the segments whose y-range holds the point, as `IndexedPointInAreaLocator` finds them), with
/// the same rules for vertices, horizontal segments and shared endpoints, the same fast
/// orientation test (`CGAlgorithmsDD::orientationIndexFilter`), and the rectangle short cut of
/// `PreparedPolygon::contains`. Where that fast test cannot decide — a point within rounding
/// of an edge's line, where GEOS switches to double-double arithmetic — ``locate(_:)`` answers
/// nil and the caller asks GEOS, so the answer is always GEOS's.
struct PointInArea: Sendable {
    enum Location: Equatable { case interior, boundary, exterior }

    private let segments: [PlanarSegment]
    /// Segments by horizontal band: band b's segment indices are
    /// `members[bandStart[b]..<bandStart[b + 1]]`.
    private let bandStart: [Int32]
    private let members: [Int32]
    private let minY: Double
    private let bandHeight: Double
    /// The envelope, when GEOS treats the shape as an axis-aligned rectangle.
    let rectangle: Bounds?

    /// Nil for shapes that are not polygons or multipolygons (GEOS answers those).
    init?(_ shape: Shape) {
        let kind = shape.kind
        guard kind == .polygon || kind == .multiPolygon else { return nil }
        let polygons = shape.polygons
        guard !polygons.isEmpty else { return nil }
        var segments: [PlanarSegment] = []
        for rings in polygons {
            for ring in rings { PlanarSegment.chain(ring, into: &segments) }
        }
        let b = shape.bounds
        guard !segments.isEmpty, !b.isEmpty else { return nil }
        self.segments = segments
        rectangle = kind == .polygon && polygons[0].count == 1 && Self.isRectangle(polygons[0][0], b) ? b : nil
        let bands = max(1, min(segments.count / 4, 4096))
        minY = b.minY
        let raw = (b.maxY - b.minY) / Double(bands)
        let height = raw > 0 && raw.isFinite ? raw : 0
        bandHeight = height
        // Counting pass, then filling: compressed rows, two arrays for the whole index.
        var counts = [Int32](repeating: 0, count: bands + 1)
        func band(_ y: Double) -> Int { Self.band(y, minY: b.minY, height: height, bands: bands) }
        for s in segments {
            for k in band(min(s.y0, s.y1))...band(max(s.y0, s.y1)) { counts[k + 1] += 1 }
        }
        for k in 0..<bands { counts[k + 1] += counts[k] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[bands]))
        for (i, s) in segments.enumerated() {
            for k in band(min(s.y0, s.y1))...band(max(s.y0, s.y1)) {
                members[Int(fill[k])] = Int32(i)
                fill[k] += 1
            }
        }
        bandStart = counts
        self.members = members
    }

    private static func band(_ y: Double, minY: Double, height: Double, bands: Int) -> Int {
        guard height > 0 else { return 0 }
        let f = ((y - minY) / height).rounded(.down)
        return f <= 0 ? 0 : (f >= Double(bands - 1) ? bands - 1 : Int(f))
    }

    /// `Polygon::isRectangle`: five vertices on the envelope's corners, each step changing
    /// exactly one coordinate.
    private static func isRectangle(_ ring: [LocalPoint], _ env: Bounds) -> Bool {
        guard ring.count == 5 else { return false }
        for p in ring {
            guard p.x == env.minX || p.x == env.maxX, p.y == env.minY || p.y == env.maxY else { return false }
        }
        for i in 1...4 where (ring[i].x != ring[i - 1].x) == (ring[i].y != ring[i - 1].y) { return false }
        return true
    }

    /// Whether GEOS's prepared `contains` holds for `p`, which lies within the envelope; nil
    /// when only GEOS's extended precision can tell.
    func contains(_ p: LocalPoint) -> Bool? {
        if let r = rectangle { return !(p.x == r.minX || p.x == r.maxX || p.y == r.minY || p.y == r.maxY) }
        return locate(p).map { $0 == .interior }
    }

    /// Whether GEOS's prepared `covers` holds for `p`, which lies within the envelope; nil when
    /// only GEOS's extended precision can tell.
    func covers(_ p: LocalPoint) -> Bool? {
        if rectangle != nil { return true }
        return locate(p).map { $0 != .exterior }
    }

    /// Whether GEOS's `isWithinDistance` holds for `p` and `distance` (≥ 0), nil when GEOS must
    /// say: GEOS's `DistanceOp` answers true for a point inside or on the shape, else compares
    /// the least `Distance::pointToSegment` over the rings with `distance`. The same formula in
    /// the same order gives the same doubles; a result within a nanometre of `distance`, a
    /// shape of many segments, or a point the fast test cannot place is left to GEOS.
    func isWithinDistance(_ p: LocalPoint, _ distance: Double) -> Bool? {
        guard segments.count <= PointToLines.maxSegments, let c = covers(p) else { return nil }
        if c { return true }
        return PlanarSegment.isWithinDistance(segments, p, distance)
    }

    /// The point's location, or nil when the fast orientation test cannot decide.
    func locate(_ p: LocalPoint) -> Location? {
        let b = Self.band(p.y, minY: minY, height: bandHeight, bands: bandStart.count - 1)
        var crossings = 0
        var onSegment = false
        for k in Int(bandStart[b])..<Int(bandStart[b + 1]) {
            let s = segments[Int(members[k])]
            // RayCrossingCounter::countSegment, in its order.
            if s.x0 < p.x && s.x1 < p.x { continue }
            if p.x == s.x1 && p.y == s.y1 {
                onSegment = true
                continue
            }
            if s.y0 == p.y && s.y1 == p.y {
                if p.x >= min(s.x0, s.x1) && p.x <= max(s.x0, s.x1) { onSegment = true }
                continue
            }
            if (s.y0 > p.y && s.y1 <= p.y) || (s.y1 > p.y && s.y0 <= p.y) {
                guard var sign = Self.orientationFilter(s.x0, s.y0, s.x1, s.y1, p.x, p.y) else { return nil }
                if sign == 0 {
                    onSegment = true
                    continue
                }
                if s.y1 < s.y0 { sign = -sign }
                if sign > 0 { crossings += 1 }
            }
        }
        if onSegment { return .boundary }
        return crossings % 2 == 1 ? .interior : .exterior
    }

    /// `CGAlgorithmsDD::orientationIndexFilter`: the orientation of c against a→b when double
    /// precision settles it, else nil.
    @inline(__always)
    private static func orientationFilter(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                                          _ cx: Double, _ cy: Double) -> Int? {
        let detLeft = (ax - cx) * (by - cy)
        let detRight = (ay - cy) * (bx - cx)
        let det = detLeft - detRight
        let detSum: Double
        if detLeft > 0 {
            if detRight <= 0 { return signum(det) }
            detSum = detLeft + detRight
        } else if detLeft < 0 {
            if detRight >= 0 { return signum(det) }
            detSum = -detLeft - detRight
        } else {
            return signum(det)
        }
        let errorBound = 1e-15 * detSum
        if det >= errorBound || -det >= errorBound { return signum(det) }
        return nil
    }

    @inline(__always)
    private static func signum(_ x: Double) -> Int { x < 0 ? -1 : (x > 0 ? 1 : 0) }
}
