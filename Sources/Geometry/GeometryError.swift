/// What went wrong building or reading a geometry.
public enum GeometryError: Error, CustomStringConvertible, Equatable {
    /// The geometry is not valid; GEOS's reason, e.g. "Self-intersection[12 34]".
    case invalidGeometry(String)
    /// A line, ring or collection with too few (distinct) points or members.
    case tooFewPoints(String)
    /// GEOS failed; its error message.
    case geos(String)
    /// The GeoJSON is malformed or unsupported; what and where.
    case geoJSON(String)

    public var description: String {
        switch self {
        case .invalidGeometry(let m): return "invalid geometry: \(m)"
        case .tooFewPoints(let m): return "too few points: \(m)"
        case .geos(let m): return "GEOS error: \(m)"
        case .geoJSON(let m): return "invalid GeoJSON: \(m)"
        }
    }
}
