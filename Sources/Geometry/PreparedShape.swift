import CGEOS

/// A prepared geometry for fast repeated predicates against one `Shape`.
///
/// Its lazy GEOS indexes (point-in-area locator, facet distance index, segment intersection
/// finder) are built when it is made, so the first real query is as fast as the rest, and
/// queries do not mutate it afterwards. Still: query it from one thread at a time.
///
/// `contains` and `covers` of a polygon allocate nothing: outside the envelope they answer
/// arithmetically, inside it with GEOS's own ray-crossing count done in Swift (`PointInArea`),
/// asking GEOS only where that cannot decide; `isWithinDistance` of a polygon likewise, and of
/// lines (a zone's edge) with the least segment distance GEOS computes (`PointToLines`).
/// `distance` and the rest ask GEOS with a temporary GEOS point (GEOS 3.11 has no
/// `GEOSPreparedContainsXY_r`).
public final class PreparedShape: @unchecked Sendable {
    public let shape: Shape
    /// The shape's envelope (`Bounds.empty` when the shape is empty).
    public let bounds: Bounds
    /// The owned `const GEOSPreparedGeometry *`.
    let prepared: OpaquePointer
    /// GEOS's point location for polygons, without GEOS (nil for other shapes).
    private let area: PointInArea?
    /// The same for lines (a zone's edge), without GEOS (nil for other shapes).
    private let lines: PointToLines?

    init(shape: Shape) throws(GeometryError) {
        self.shape = shape
        let b = shape.bounds
        self.bounds = b
        let h = try GeometryContext.checkedHandle()
        GeometryContext.clearError()
        guard let p = GEOSPrepare_r(h, shape.geom) else {
            throw .geos("GEOSPrepare_r failed: \(GeometryContext.lastError ?? "unknown error")")
        }
        prepared = p
        area = PointInArea(shape)
        lines = area == nil ? PointToLines(shape) : nil
        warmUp(h, b)
    }

    deinit {
        GEOSPreparedGeom_destroy_r(GeometryContext.handle, prepared)
    }

    /// Runs one query of each kind directly on GEOS (inside the envelope, so none is
    /// short-circuited) to build the prepared geometry's lazy indexes now.
    private func warmUp(_ h: GEOSContextHandle_t, _ b: Bounds) {
        guard !b.isEmpty else { return }
        let c = b.center
        if let pt = GEOSGeom_createPointFromXY_r(h, c.x, c.y) {
            _ = GEOSPreparedContains_r(h, prepared, pt)
            _ = GEOSPreparedCovers_r(h, prepared, pt)
            _ = GEOSPreparedIntersects_r(h, prepared, pt)
            var d = 0.0
            _ = GEOSPreparedDistance_r(h, prepared, pt, &d)
            _ = GEOSPreparedDistanceWithin_r(h, prepared, pt, 1)
            GEOSGeom_destroy_r(h, pt)
        }
        // A segment across the envelope builds the segment intersection index.
        if let seg = Self.segment(h, LocalPoint(x: b.minX - 1, y: b.minY - 1), LocalPoint(x: b.maxX + 1, y: b.maxY + 1)) {
            _ = GEOSPreparedIntersects_r(h, prepared, seg)
            GEOSGeom_destroy_r(h, seg)
        }
    }

    /// Whether `p` lies strictly inside (GEOSPreparedContains_r: not on the boundary).
    @inline(__always)
    public func contains(_ p: LocalPoint) -> Bool {
        guard bounds.contains(p) else { return false }
        if let answer = area?.contains(p) { return answer }
        return containsByGEOS(p)
    }

    /// `contains` asked of GEOS itself.
    func containsByGEOS(_ p: LocalPoint) -> Bool {
        guard bounds.contains(p) else { return false }
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return false }
        let r = GEOSPreparedContains_r(h, prepared, pt)
        GEOSGeom_destroy_r(h, pt)
        return r == 1
    }

    /// Whether `p` lies inside or on the boundary (GEOSPreparedCovers_r).
    @inline(__always)
    public func covers(_ p: LocalPoint) -> Bool {
        guard bounds.contains(p) else { return false }
        if let answer = area?.covers(p) { return answer }
        return coversByGEOS(p)
    }

    /// `covers` asked of GEOS itself.
    func coversByGEOS(_ p: LocalPoint) -> Bool {
        guard bounds.contains(p) else { return false }
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return false }
        let r = GEOSPreparedCovers_r(h, prepared, pt)
        GEOSGeom_destroy_r(h, pt)
        return r == 1
    }

    /// Whether `other` and the shape share at least one point (e.g. the segment between two
    /// fixes crossing a zone).
    public func intersects(_ other: Shape) -> Bool {
        GEOSPreparedIntersects_r(GeometryContext.handle, prepared, other.geom) == 1
    }

    /// Whether the straight segment from `a` to `b` touches the shape (a point when a == b).
    /// No Swift allocation.
    public func intersects(segmentFrom a: LocalPoint, to b: LocalPoint) -> Bool {
        let segBounds = Bounds(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        guard bounds.intersects(segBounds) else { return false }
        let h = GeometryContext.handle
        guard let seg = Self.segment(h, a, b) else { return false }
        let r = GEOSPreparedIntersects_r(h, prepared, seg)
        GEOSGeom_destroy_r(h, seg)
        return r == 1
    }

    /// Whether `p` is within `distance` metres of the shape (inclusive; GEOSPreparedDistanceWithin_r).
    @inline(__always)
    public func isWithinDistance(_ p: LocalPoint, _ distance: Double) -> Bool {
        // The envelope distance is a lower bound of the true distance; the small slack leaves
        // every borderline case to GEOS.
        guard bounds.distance(to: p) <= distance * (1 + 1e-12) + 1e-12 else { return false }
        if distance >= 0, let answer = area?.isWithinDistance(p, distance) ?? lines?.isWithinDistance(p, distance) {
            return answer
        }
        return isWithinDistanceByGEOS(p, distance)
    }

    /// `isWithinDistance` asked of GEOS itself.
    func isWithinDistanceByGEOS(_ p: LocalPoint, _ distance: Double) -> Bool {
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return false }
        let r = GEOSPreparedDistanceWithin_r(h, prepared, pt, distance)
        GEOSGeom_destroy_r(h, pt)
        return r == 1
    }

    /// Distance in metres from `p` to the shape (0 inside; GEOSPreparedDistance_r); infinity
    /// for an empty shape.
    public func distance(to p: LocalPoint) -> Double {
        if bounds.isEmpty { return .infinity }
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return .nan }
        var d = 0.0
        let ok = GEOSPreparedDistance_r(h, prepared, pt, &d)
        GEOSGeom_destroy_r(h, pt)
        return ok != 0 ? d : .nan
    }

    /// A GEOS line string a-b, or a point when a == b. Caller destroys it.
    static func segment(_ h: GEOSContextHandle_t, _ a: LocalPoint, _ b: LocalPoint) -> OpaquePointer? {
        if a == b { return GEOSGeom_createPointFromXY_r(h, a.x, a.y) }
        guard let seq = GEOSCoordSeq_create_r(h, 2, 2) else { return nil }
        _ = GEOSCoordSeq_setXY_r(h, seq, 0, a.x, a.y)
        _ = GEOSCoordSeq_setXY_r(h, seq, 1, b.x, b.y)
        return GEOSGeom_createLineString_r(h, seq)
    }
}
