import CGEOS

/// The geometry type of a `Shape`.
public enum ShapeKind: String, Sendable, Hashable {
    case point, lineString, polygon, multiPolygon, other
}

/// An immutable GEOS geometry in local metres.
///
/// Immutable after creation, so it may be shared between threads: every GEOS call uses the
/// calling thread's own context (`GeometryContext`). The GEOS geometry is freed on deinit.
public final class Shape: @unchecked Sendable {
    /// The owned `GEOSGeometry *`.
    let geom: OpaquePointer

    init(owning geom: OpaquePointer) {
        self.geom = geom
    }

    deinit {
        GEOSGeom_destroy_r(GeometryContext.handle, geom)
    }

    // MARK: Construction

    public static func point(_ p: LocalPoint) throws -> Shape {
        try checkFinite([p], what: "point")
        let h = GeometryContext.handle
        GeometryContext.clearError()
        guard let g = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else {
            throw GeometryContext.error("creating a point")
        }
        return Shape(owning: g)
    }

    /// A line string through `points` in order. Needs at least 2 distinct points.
    public static func lineString(_ points: [LocalPoint]) throws -> Shape {
        try checkFinite(points, what: "line string")
        guard let first = points.first, points.contains(where: { $0 != first }) else {
            throw GeometryError.tooFewPoints(
                "a line string needs at least 2 distinct points; got \(describeCount(points))")
        }
        let h = GeometryContext.handle
        GeometryContext.clearError()
        let seq = try coordSeq(points)
        guard let g = GEOSGeom_createLineString_r(h, seq) else {
            throw GeometryContext.error("creating a line string")
        }
        return Shape(owning: g)
    }

    /// A polygon. Rings are closed automatically if their last point differs from the first;
    /// each ring needs at least 3 distinct points. Orientation is not changed and validity is
    /// not checked: ask `validityProblem`.
    public static func polygon(exterior: [LocalPoint], holes: [[LocalPoint]] = []) throws -> Shape {
        try checkRing(exterior, name: "exterior ring")
        for (i, hole) in holes.enumerated() { try checkRing(hole, name: "hole \(i)") }
        let h = GeometryContext.handle
        GeometryContext.clearError()
        let shell = try linearRing(exterior)
        var holeRings: [OpaquePointer?] = []
        holeRings.reserveCapacity(holes.count)
        for hole in holes {
            do {
                holeRings.append(try linearRing(hole))
            } catch {
                GEOSGeom_destroy_r(h, shell)
                for r in holeRings { GEOSGeom_destroy_r(h, r) }
                throw error
            }
        }
        let g = holeRings.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createPolygon_r(h, shell, buf.baseAddress, UInt32(buf.count))
        }
        guard let g else { throw GeometryContext.error("creating a polygon") }
        return Shape(owning: g)
    }

    /// A multipolygon of the given polygons (multipolygons among them are flattened into
    /// their polygons). Needs at least one polygon. Validity is not checked.
    public static func multiPolygon(_ polygons: [Shape]) throws -> Shape {
        guard !polygons.isEmpty else {
            throw GeometryError.tooFewPoints("a multipolygon needs at least 1 polygon; got none")
        }
        let h = GeometryContext.handle
        GeometryContext.clearError()
        var parts: [OpaquePointer?] = []
        func fail(_ error: GeometryError) -> GeometryError {
            for p in parts { GEOSGeom_destroy_r(h, p) }
            return error
        }
        for (i, shape) in polygons.enumerated() {
            switch shape.kind {
            case .polygon:
                guard let c = GEOSGeom_clone_r(h, shape.geom) else { throw fail(GeometryContext.error("copying polygon \(i)")) }
                parts.append(c)
            case .multiPolygon:
                let n = GEOSGetNumGeometries_r(h, shape.geom)
                for j in 0..<max(n, 0) {
                    guard let sub = GEOSGetGeometryN_r(h, shape.geom, j), let c = GEOSGeom_clone_r(h, sub) else {
                        throw fail(GeometryContext.error("copying polygon \(j) of member \(i)"))
                    }
                    parts.append(c)
                }
            case let kind:
                throw fail(GeometryError.invalidGeometry("multipolygon member \(i) is a \(kind.rawValue), not a polygon"))
            }
        }
        let g = parts.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(h, Int32(GEOS_MULTIPOLYGON.rawValue), buf.baseAddress, UInt32(buf.count))
        }
        guard let g else { throw GeometryContext.error("creating a multipolygon") }
        return Shape(owning: g)
    }

    /// Reads Well-Known Text (for tests and debugging).
    public static func fromWKT(_ wkt: String) throws -> Shape {
        let h = GeometryContext.handle
        GeometryContext.clearError()
        guard let reader = GEOSWKTReader_create_r(h) else { throw GeometryContext.error("creating a WKT reader") }
        defer { GEOSWKTReader_destroy_r(h, reader) }
        guard let g = GEOSWKTReader_read_r(h, reader, wkt) else { throw GeometryContext.error("reading WKT") }
        return Shape(owning: g)
    }

    // MARK: Properties

    /// nil when the geometry is valid; otherwise GEOS's reason (GEOSisValidReason_r), e.g.
    /// "Self-intersection[12 34]".
    public var validityProblem: String? {
        let h = GeometryContext.handle
        GeometryContext.clearError()
        let valid = GEOSisValid_r(h, geom)
        if valid == 1 { return nil }
        guard let reason = GEOSisValidReason_r(h, geom) else {
            return GeometryContext.lastError ?? "validity check failed"
        }
        defer { GEOSFree_r(h, reason) }
        return String(cString: reason)
    }

    /// Throws `GeometryError.invalidGeometry` with GEOS's reason when the geometry is not valid.
    public func validate() throws {
        if let problem = validityProblem { throw GeometryError.invalidGeometry(problem) }
    }

    public var kind: ShapeKind {
        switch UInt32(truncatingIfNeeded: GEOSGeomTypeId_r(GeometryContext.handle, geom)) {
        case GEOS_POINT.rawValue: return .point
        case GEOS_LINESTRING.rawValue: return .lineString
        case GEOS_POLYGON.rawValue: return .polygon
        case GEOS_MULTIPOLYGON.rawValue: return .multiPolygon
        default: return .other
        }
    }

    public var isEmpty: Bool { GEOSisEmpty_r(GeometryContext.handle, geom) != 0 }

    /// The envelope; `Bounds.empty` for an empty geometry.
    public var bounds: Bounds {
        let h = GeometryContext.handle
        if GEOSisEmpty_r(h, geom) != 0 { return .empty }
        var b = Bounds.empty
        guard GEOSGeom_getExtent_r(h, geom, &b.minX, &b.minY, &b.maxX, &b.maxY) != 0 else { return .empty }
        return b
    }

    /// Area in square metres (0 for points and lines).
    public var area: Double {
        var a = 0.0
        return GEOSArea_r(GeometryContext.handle, geom, &a) != 0 ? a : .nan
    }

    /// Length in metres (the perimeter of polygons).
    public var length: Double {
        var l = 0.0
        return GEOSLength_r(GeometryContext.handle, geom, &l) != 0 ? l : .nan
    }

    /// The centroid; NaN coordinates for an empty geometry.
    public var centroid: LocalPoint {
        let h = GeometryContext.handle
        guard let c = GEOSGetCentroid_r(h, geom) else { return LocalPoint(x: .nan, y: .nan) }
        defer { GEOSGeom_destroy_r(h, c) }
        var p = LocalPoint(x: .nan, y: .nan)
        if GEOSisEmpty_r(h, c) == 0 {
            _ = GEOSGeomGetX_r(h, c, &p.x)
            _ = GEOSGeomGetY_r(h, c, &p.y)
        }
        return p
    }

    // MARK: Operations

    /// The geometry grown by `distance` metres (shrunk for negative), with round joins and
    /// caps approximated by `quadrantSegments` segments per quarter circle.
    public func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Shape {
        guard distance.isFinite else { throw GeometryError.invalidGeometry("buffer distance \(distance) is not finite") }
        let h = GeometryContext.handle
        GeometryContext.clearError()
        guard let g = GEOSBuffer_r(h, geom, distance, Int32(clamping: max(1, quadrantSegments))) else {
            throw GeometryContext.error("buffering")
        }
        return Shape(owning: g)
    }

    /// The geometry's boundary (a polygon's rings as lines): how far a point is from a zone's
    /// edge, inside or out, is its distance to this.
    public func boundary() throws -> Shape {
        let h = GeometryContext.handle
        GeometryContext.clearError()
        guard let g = GEOSBoundary_r(h, geom) else { throw GeometryContext.error("taking the boundary") }
        return Shape(owning: g)
    }

    /// Distance in metres from `p` (0 inside); infinity for an empty geometry.
    public func distance(to p: LocalPoint) -> Double {
        let h = GeometryContext.handle
        if GEOSisEmpty_r(h, geom) != 0 { return .infinity }
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return .nan }
        defer { GEOSGeom_destroy_r(h, pt) }
        var d = 0.0
        return GEOSDistance_r(h, geom, pt, &d) != 0 ? d : .nan
    }

    /// Distance in metres between the geometries (0 when they intersect); infinity when
    /// either is empty.
    public func distance(to other: Shape) -> Double {
        let h = GeometryContext.handle
        if GEOSisEmpty_r(h, geom) != 0 || GEOSisEmpty_r(h, other.geom) != 0 { return .infinity }
        var d = 0.0
        return GEOSDistance_r(h, geom, other.geom, &d) != 0 ? d : .nan
    }

    /// Whether `p` lies strictly inside (not on the boundary).
    public func contains(_ p: LocalPoint) -> Bool {
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return false }
        defer { GEOSGeom_destroy_r(h, pt) }
        return GEOSContains_r(h, geom, pt) == 1
    }

    /// Whether `p` lies inside or on the boundary.
    public func covers(_ p: LocalPoint) -> Bool {
        let h = GeometryContext.handle
        guard let pt = GEOSGeom_createPointFromXY_r(h, p.x, p.y) else { return false }
        defer { GEOSGeom_destroy_r(h, pt) }
        return GEOSCovers_r(h, geom, pt) == 1
    }

    public func intersects(_ other: Shape) -> Bool {
        GEOSIntersects_r(GeometryContext.handle, geom, other.geom) == 1
    }

    /// A prepared geometry for fast repeated predicates, with its lazy indexes already built.
    public func prepared() throws(GeometryError) -> PreparedShape {
        try PreparedShape(shape: self)
    }

    // MARK: Output

    /// Well-Known Text, trimmed, 2D.
    public var wkt: String {
        let h = GeometryContext.handle
        guard let writer = GEOSWKTWriter_create_r(h) else { return "" }
        defer { GEOSWKTWriter_destroy_r(h, writer) }
        GEOSWKTWriter_setTrim_r(h, writer, 1)
        GEOSWKTWriter_setOutputDimension_r(h, writer, 2)
        guard let text = GEOSWKTWriter_write_r(h, writer, geom) else { return "" }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    /// Each polygon's exterior ring (closed: the last point repeats the first). Empty for
    /// points and lines.
    public var exteriorRings: [[LocalPoint]] {
        polygons.map { $0[0] }
    }

    /// Each polygon's rings, exterior first, then its holes (closed rings). Empty for points
    /// and lines.
    public var polygons: [[[LocalPoint]]] {
        let h = GeometryContext.handle
        func rings(of poly: OpaquePointer) -> [[LocalPoint]] {
            guard GEOSisEmpty_r(h, poly) == 0, let ext = GEOSGetExteriorRing_r(h, poly) else { return [] }
            var out = [Self.points(of: ext, h)]
            let n = GEOSGetNumInteriorRings_r(h, poly)
            for i in 0..<max(n, 0) {
                if let r = GEOSGetInteriorRingN_r(h, poly, i) { out.append(Self.points(of: r, h)) }
            }
            return out
        }
        switch kind {
        case .polygon:
            let r = rings(of: geom)
            return r.isEmpty ? [] : [r]
        case .multiPolygon:
            var out: [[[LocalPoint]]] = []
            for i in 0..<max(GEOSGetNumGeometries_r(h, geom), 0) {
                if let p = GEOSGetGeometryN_r(h, geom, i) {
                    let r = rings(of: p)
                    if !r.isEmpty { out.append(r) }
                }
            }
            return out
        default:
            return []
        }
    }

    /// The vertices of each line of a `LineString`, `LinearRing` or `MultiLineString` (a
    /// polygon's ``boundary()``); empty for other kinds.
    public var lines: [[LocalPoint]] {
        let h = GeometryContext.handle
        switch UInt32(truncatingIfNeeded: GEOSGeomTypeId_r(h, geom)) {
        case GEOS_LINESTRING.rawValue, GEOS_LINEARRING.rawValue:
            return [Self.points(of: geom, h)]
        case GEOS_MULTILINESTRING.rawValue:
            return (0..<max(GEOSGetNumGeometries_r(h, geom), 0)).compactMap { i in
                GEOSGetGeometryN_r(h, geom, i).map { Self.points(of: $0, h) }
            }
        default:
            return []
        }
    }

    /// The vertices of a point or a line string; empty for other kinds.
    public var vertices: [LocalPoint] {
        switch kind {
        case .point, .lineString: return Self.points(of: geom, GeometryContext.handle)
        default: return []
        }
    }

    // MARK: Helpers

    static func points(of simple: OpaquePointer, _ h: GEOSContextHandle_t) -> [LocalPoint] {
        guard let seq = GEOSGeom_getCoordSeq_r(h, simple) else { return [] }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(h, seq, &size) != 0, size > 0 else { return [] }
        var xs = [Double](repeating: 0, count: Int(size)), ys = xs
        guard GEOSCoordSeq_copyToArrays_r(h, seq, &xs, &ys, nil, nil) != 0 else { return [] }
        return (0..<Int(size)).map { LocalPoint(x: xs[$0], y: ys[$0]) }
    }

    private static func describeCount(_ points: [LocalPoint]) -> String {
        let distinct = Set(points).count
        return "\(points.count) point\(points.count == 1 ? "" : "s") (\(distinct) distinct)"
    }

    private static func checkFinite(_ points: [LocalPoint], what: String) throws {
        if let i = points.firstIndex(where: { !$0.isFinite }) {
            throw GeometryError.invalidGeometry("\(what) point \(i) \(points[i]) is not finite")
        }
    }

    private static func checkRing(_ ring: [LocalPoint], name: String) throws {
        try checkFinite(ring, what: name)
        // Three distinct points: the first, one that differs from it, and one that differs from both.
        if let p0 = ring.first, let i1 = ring.firstIndex(where: { $0 != p0 }),
           ring[(i1 + 1)...].contains(where: { $0 != p0 && $0 != ring[i1] }) {
            return
        }
        throw GeometryError.tooFewPoints("polygon \(name) has \(describeCount(ring)); a ring needs at least 3 distinct points")
    }

    /// A coordinate sequence holding `points`, closed with the first point if `close`.
    private static func coordSeq(_ points: [LocalPoint], close: Bool = false) throws -> OpaquePointer {
        var buf: [Double] = []
        buf.reserveCapacity(points.count * 2 + 2)
        for p in points { buf.append(p.x); buf.append(p.y) }
        if close, let first = points.first, points.last != first { buf.append(first.x); buf.append(first.y) }
        guard let seq = GEOSCoordSeq_copyFromBuffer_r(GeometryContext.handle, buf, UInt32(buf.count / 2), 0, 0) else {
            throw GeometryContext.error("creating a coordinate sequence")
        }
        return seq
    }

    private static func linearRing(_ points: [LocalPoint]) throws -> OpaquePointer {
        let seq = try coordSeq(points, close: true)
        guard let ring = GEOSGeom_createLinearRing_r(GeometryContext.handle, seq) else {
            throw GeometryContext.error("creating a linear ring")
        }
        return ring
    }
}
