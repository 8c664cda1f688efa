/// One straight edge of a ring or a line, as the Swift point queries (``PointInArea``,
/// ``PointToLines``) keep them: four doubles, nothing shared.
struct PlanarSegment: Sendable {
    var x0, y0, x1, y1: Double

    /// The segments of a run of vertices, in order.
    static func chain(_ points: [LocalPoint], into out: inout [PlanarSegment]) {
        guard points.count >= 2 else { return }
        for i in 1..<points.count {
            out.append(PlanarSegment(x0: points[i - 1].x, y0: points[i - 1].y, x1: points[i].x, y1: points[i].y))
        }
    }

    /// GEOS's `Distance::pointToSegment`, operation for operation, so that the same doubles
    /// come out as GEOS's own distance gives.
    @inline(__always)
    func distance(to p: LocalPoint) -> Double {
        if x0 == x1 && y0 == y1 { return Self.hypot0(p.x - x0, p.y - y0) }
        let len2 = (x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)
        let r = ((p.x - x0) * (x1 - x0) + (p.y - y0) * (y1 - y0)) / len2
        if r <= 0 { return Self.hypot0(p.x - x0, p.y - y0) }
        if r >= 1 { return Self.hypot0(p.x - x1, p.y - y1) }
        let sArea = ((y0 - p.y) * (x1 - x0) - (x0 - p.x) * (y1 - y0)) / len2
        return abs(sArea) * len2.squareRoot()
    }

    /// Whether the least distance from `p` to `segments` is within `distance`, as GEOS's
    /// `DistanceOp` compares it; nil when it lies within a nanometre of `distance`, where
    /// GEOS's own arithmetic must decide.
    static func isWithinDistance(_ segments: [PlanarSegment], _ p: LocalPoint, _ distance: Double) -> Bool? {
        let margin = 1e-9
        var least = Double.infinity
        for s in segments {
            least = min(least, s.distance(to: p))
            if least < distance - margin { return true }
        }
        if least > distance + margin { return false }
        return nil
    }

    /// `Coordinate::distance`: √(dx² + dy²), not `hypot`.
    @inline(__always)
    private static func hypot0(_ dx: Double, _ dy: Double) -> Double { (dx * dx + dy * dy).squareRoot() }
}
