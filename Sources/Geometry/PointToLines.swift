/// How near a point lies to a line or a set of lines, answered in Swift the way GEOS answers
/// `isWithinDistance` for them, without the temporary GEOS point (and the dozen objects of its
/// `DistanceOp`) that every GEOS 3.11 query costs.
///
/// A zone's edge is such a shape (its rings as lines, `Shape.boundary()`): a fix whose
/// accuracy is worse than the zone needs asks it whether its uncertainty disc reaches the edge
/// (`Zone.isUndecided`), so every such fix asked GEOS, at some 8,000 instructions and a heap
/// allocation a query. Between a point and lines GEOS's `DistanceOp` has no containment to
/// test: it takes the least `Distance::pointToSegment` over the segments, which
/// ``PlanarSegment/distance(to:)`` computes operation for operation. A least distance within a
/// nanometre of the limit, or a shape of very many segments, is left to GEOS (nil), so the
/// answer is always GEOS's.
struct PointToLines: Sendable {
    private let segments: [PlanarSegment]

    /// Segments beyond which a linear scan stops paying off and GEOS's own index answers.
    static let maxSegments = 512

    /// Nil for shapes that are not lines (`LineString`, `LinearRing`, `MultiLineString`), for
    /// empty ones, and for those of more than ``maxSegments`` segments.
    init?(_ shape: Shape) {
        let lines = shape.lines
        var segments: [PlanarSegment] = []
        for line in lines { PlanarSegment.chain(line, into: &segments) }
        guard !segments.isEmpty, segments.count <= Self.maxSegments else { return nil }
        self.segments = segments
    }

    /// Whether GEOS's `isWithinDistance` holds for `p` and `distance` (≥ 0), or nil when the
    /// least distance lies within a nanometre of `distance` and GEOS must say.
    func isWithinDistance(_ p: LocalPoint, _ distance: Double) -> Bool? {
        PlanarSegment.isWithinDistance(segments, p, distance)
    }
}
