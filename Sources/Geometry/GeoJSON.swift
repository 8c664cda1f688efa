import Foundation

/// A GeoJSON (RFC 7946) geometry: WGS84 `[longitude, latitude]` positions.
///
/// Read from parsed JSON values as Foundation's `JSONSerialization` returns them
/// (`[String: Any]`, `[Any]`, `NSNumber`, `String`); plain Swift `Double`/`Int` values work too.
/// Only the types a site file uses are supported. Positions may carry a third value (altitude),
/// which is ignored.
public enum GeoJSONGeometry: Sendable, Equatable {
    case point(LonLat)
    case lineString([LonLat])
    case polygon([[LonLat]])
    case multiPolygon([[[LonLat]]])

    /// Parses a GeoJSON geometry object. Throws `GeometryError.geoJSON` saying what is wrong and
    /// where, e.g. "Polygon ring 0 has 3 positions; a closed ring needs at least 4",
    /// "coordinates[2] is not a [lon, lat] pair", "longitude 200 out of range",
    /// "unsupported geometry type MultiLineString".
    public init(json: Any) throws {
        guard let object = json as? [String: Any] else {
            throw GeometryError.geoJSON("geometry is not a JSON object")
        }
        guard let typeValue = object["type"] else {
            throw GeometryError.geoJSON("geometry has no \"type\"")
        }
        guard let type = typeValue as? String else {
            throw GeometryError.geoJSON("geometry \"type\" is not a string")
        }
        let supported = ["Point", "LineString", "Polygon", "MultiPolygon"]
        guard supported.contains(type) else {
            throw GeometryError.geoJSON("unsupported geometry type \(type)")
        }
        guard let coordinates = object["coordinates"] else {
            throw GeometryError.geoJSON("\(type) has no \"coordinates\"")
        }
        let path = "coordinates"
        switch type {
        case "Point":
            self = .point(try Self.position(coordinates, path))
        case "LineString":
            let line = try Self.positions(coordinates, path)
            guard line.count >= 2 else {
                throw GeometryError.geoJSON("LineString has \(Self.count(line.count, "position")); a line needs at least 2")
            }
            self = .lineString(line)
        case "Polygon":
            self = .polygon(try Self.polygon(coordinates, path, "Polygon"))
        default: // MultiPolygon
            let polys = try Self.array(coordinates, path, "an array of polygons")
            self = .multiPolygon(try polys.enumerated().map { i, poly in
                try Self.polygon(poly, "\(path)[\(i)]", "MultiPolygon polygon \(i)")
            })
        }
    }

    /// The GeoJSON type name ("Point", "LineString", "Polygon", "MultiPolygon").
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .lineString: return "LineString"
        case .polygon: return "Polygon"
        case .multiPolygon: return "MultiPolygon"
        }
    }

    /// Projects every position into `frame` and builds the `Shape`. Validity is not checked:
    /// ask the shape's `validityProblem`.
    public func shape(in frame: LocalFrame) throws -> Shape {
        func project(_ ring: [LonLat]) -> [LocalPoint] { ring.map(frame.toLocal) }
        func polygon(_ rings: [[LonLat]]) throws -> Shape {
            guard let exterior = rings.first else { throw GeometryError.tooFewPoints("polygon has no rings") }
            return try Shape.polygon(exterior: project(exterior), holes: rings.dropFirst().map(project))
        }
        switch self {
        case .point(let p): return try Shape.point(frame.toLocal(p))
        case .lineString(let line): return try Shape.lineString(project(line))
        case .polygon(let rings): return try polygon(rings)
        case .multiPolygon(let polys): return try Shape.multiPolygon(polys.map(polygon))
        }
    }

    // MARK: Parsing helpers

    private static func polygon(_ value: Any, _ path: String, _ name: String) throws -> [[LonLat]] {
        let rings = try array(value, path, "an array of linear rings")
        guard !rings.isEmpty else { throw GeometryError.geoJSON("\(name) has no rings") }
        return try rings.enumerated().map { i, ringValue in
            let ring = try positions(ringValue, "\(path)[\(i)]")
            guard ring.count >= 4 else {
                throw GeometryError.geoJSON("\(name) ring \(i) has \(count(ring.count, "position")); a closed ring needs at least 4")
            }
            guard ring.first == ring.last else {
                throw GeometryError.geoJSON("\(name) ring \(i) is not closed: its first position \(ring[0]) differs from its last \(ring[ring.count - 1])")
            }
            return ring
        }
    }

    private static func array(_ value: Any, _ path: String, _ expected: String) throws -> [Any] {
        guard let a = value as? [Any] else { throw GeometryError.geoJSON("\(path) is not \(expected)") }
        return a
    }

    private static func positions(_ value: Any, _ path: String) throws -> [LonLat] {
        try array(value, path, "an array of [lon, lat] positions").enumerated().map { i, p in
            try position(p, "\(path)[\(i)]")
        }
    }

    private static func position(_ value: Any, _ path: String) throws -> LonLat {
        guard let pair = value as? [Any], pair.count == 2 || pair.count == 3 else {
            throw GeometryError.geoJSON("\(path) is not a [lon, lat] pair")
        }
        guard let lon = number(pair[0]), let lat = number(pair[1]) else {
            throw GeometryError.geoJSON("\(path) is not a [lon, lat] pair of numbers")
        }
        if pair.count == 3, number(pair[2]) == nil {
            throw GeometryError.geoJSON("\(path) has an altitude that is not a number")
        }
        guard lon.isFinite, lat.isFinite else {
            throw GeometryError.geoJSON("\(path) has a non-finite number")
        }
        guard (-180...180).contains(lon) else {
            throw GeometryError.geoJSON("\(path): longitude \(format(lon)) out of range")
        }
        guard (-90...90).contains(lat) else {
            throw GeometryError.geoJSON("\(path): latitude \(format(lat)) out of range")
        }
        return LonLat(lon: lon, lat: lat)
    }

    /// A JSON number as a Double; nil for anything else, including booleans (which
    /// `JSONSerialization` hands out as NSNumber too).
    private static func number(_ value: Any) -> Double? {
        if value is String || type(of: value) == Bool.self { return nil }
        guard let n = value as? NSNumber else { return nil }
        if n.objCType.pointee == CChar(UInt8(ascii: "c")) || n.objCType.pointee == CChar(UInt8(ascii: "B")) {
            return nil // a boolean
        }
        return n.doubleValue
    }

    private static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
