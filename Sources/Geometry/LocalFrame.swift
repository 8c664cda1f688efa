#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// WGS84 longitude/latitude <-> local ENU metres (x east, y north) on the tangent plane of the
/// WGS84 ellipsoid at `origin`, as docs/site-file.md defines it: geodetic (height 0) ->
/// Earth-centred Earth-fixed -> rotation into east/north/up at the origin, dropping up.
///
/// `toLonLat` inverts `toLocal` on the ellipsoid surface by Newton iteration (full 2x2
/// Jacobian), to well under a micrometre.
public struct LocalFrame: Sendable, Hashable {
    public let origin: LonLat

    // WGS84
    static let a = 6378137.0
    static let f = 1 / 298.257223563
    static let e2 = f * (2 - f)
    static let degree = Double.pi / 180

    // Precomputed at the origin.
    private let ox: Double, oy: Double, oz: Double
    private let sinLat0: Double, cosLat0: Double, sinLon0: Double, cosLon0: Double
    /// Metres per radian of longitude / latitude at the origin: the inverse's first guess.
    private let kLon: Double, kLat: Double

    public init(origin: LonLat) {
        self.origin = origin
        let lat0 = origin.lat * Self.degree, lon0 = origin.lon * Self.degree
        sinLat0 = sin(lat0); cosLat0 = cos(lat0)
        sinLon0 = sin(lon0); cosLon0 = cos(lon0)
        (ox, oy, oz) = Self.ecef(lonRad: lon0, latRad: lat0)
        let w = 1 - Self.e2 * sinLat0 * sinLat0
        kLon = Self.a / w.squareRoot() * cosLat0
        kLat = Self.a * (1 - Self.e2) / (w * w.squareRoot())
    }

    /// Geodetic position (radians, height 0) -> ECEF metres.
    @inline(__always)
    static func ecef(lonRad lon: Double, latRad lat: Double) -> (Double, Double, Double) {
        let sl = sin(lat), cl = cos(lat)
        let n = a / (1 - e2 * sl * sl).squareRoot()
        return (n * cl * cos(lon), n * cl * sin(lon), n * (1 - e2) * sl)
    }

    /// ECEF offset from the origin -> (east, north).
    @inline(__always)
    private func enu(_ dx: Double, _ dy: Double, _ dz: Double) -> (Double, Double) {
        let e = -sinLon0 * dx + cosLon0 * dy
        let n = -sinLat0 * cosLon0 * dx - sinLat0 * sinLon0 * dy + cosLat0 * dz
        return (e, n)
    }

    public func toLocal(_ p: LonLat) -> LocalPoint {
        let (x, y, z) = Self.ecef(lonRad: p.lon * Self.degree, latRad: p.lat * Self.degree)
        let (e, n) = enu(x - ox, y - oy, z - oz)
        return LocalPoint(x: e, y: n)
    }

    public func toLonLat(_ p: LocalPoint) -> LonLat {
        guard p.x.isFinite && p.y.isFinite else { return LonLat(lon: .nan, lat: .nan) }
        var lon = origin.lon * Self.degree + p.x / kLon
        var lat = origin.lat * Self.degree + p.y / kLat
        for _ in 0..<10 {
            let sl = sin(lat), cl = cos(lat), so = sin(lon), co = cos(lon)
            let w = 1 - Self.e2 * sl * sl
            let n = Self.a / w.squareRoot()
            let (e, nn) = enu(n * cl * co - ox, n * cl * so - oy, n * (1 - Self.e2) * sl - oz)
            let rx = p.x - e, ry = p.y - nn
            if abs(rx) < 1e-10 && abs(ry) < 1e-10 { break }
            // Jacobian of (east, north) with respect to (lon, lat), metres per radian.
            let m = Self.a * (1 - Self.e2) / (w * w.squareRoot())
            let (eLon, nLon) = enu(-n * cl * so, n * cl * co, 0)
            let (eLat, nLat) = enu(-m * sl * co, -m * sl * so, m * cl)
            let det = eLon * nLat - eLat * nLon
            let dLon = (rx * nLat - eLat * ry) / det
            let dLat = (eLon * ry - rx * nLon) / det
            lon += dLon
            lat += dLat
            // Newton converges quadratically: the error left after a step of s metres is about
            // s² / R (R, the Earth's radius), so once a step is below a micrometre the next
            // would be below floating-point noise (ECEF metres carry ~1e-9 m of it). Waiting for
            // the step itself to vanish ran all ten rounds on every call.
            if abs(dLon * kLon) < 1e-6 && abs(dLat * kLat) < 1e-6 { break }
        }
        return LonLat(lon: lon / Self.degree, lat: lat / Self.degree)
    }

    public static func == (l: LocalFrame, r: LocalFrame) -> Bool { l.origin == r.origin }
    public func hash(into hasher: inout Hasher) { hasher.combine(origin) }
}

/// An RTLS engine's frame placed in the site's local frame: a point (u, v) of the engine is
/// rotated counter-clockwise by `rotationDegrees` about the engine's origin and then shifted
/// by `offset` (docs/site-file.md, `frames`).
public struct FrameTransform: Sendable, Hashable {
    public var offset: LocalPoint
    public var rotationDegrees: Double {
        didSet { (cosR, sinR) = Self.cosSin(degrees: rotationDegrees) }
    }
    @usableFromInline var cosR: Double
    @usableFromInline var sinR: Double

    public init(offset: LocalPoint, rotationDegrees: Double) {
        self.offset = offset
        self.rotationDegrees = rotationDegrees
        (cosR, sinR) = Self.cosSin(degrees: rotationDegrees)
    }

    /// The identity: no rotation, no shift.
    public static let identity = FrameTransform(offset: LocalPoint(x: 0, y: 0), rotationDegrees: 0)

    /// Engine (u, v) -> site local (x, y).
    @inlinable
    public func apply(_ p: LocalPoint) -> LocalPoint {
        let c = cosR, s = sinR
        return LocalPoint(x: c * p.x - s * p.y + offset.x, y: s * p.x + c * p.y + offset.y)
    }

    /// Site local (x, y) -> engine (u, v): the inverse of `apply`.
    @inlinable
    public func invert(_ p: LocalPoint) -> LocalPoint {
        let c = cosR, s = sinR
        let dx = p.x - offset.x, dy = p.y - offset.y
        return LocalPoint(x: c * dx + s * dy, y: -s * dx + c * dy)
    }

    /// cos and sin of an angle in degrees, exact at multiples of 90.
    static func cosSin(degrees: Double) -> (Double, Double) {
        var r = degrees.truncatingRemainder(dividingBy: 360)
        if r < 0 { r += 360 }
        switch r {
        case 0: return (1, 0)
        case 90: return (0, 1)
        case 180: return (-1, 0)
        case 270: return (0, -1)
        default:
            let rad = r * (Double.pi / 180)
            return (cos(rad), sin(rad))
        }
    }

    public static func == (l: FrameTransform, r: FrameTransform) -> Bool {
        l.offset == r.offset && l.rotationDegrees == r.rotationDegrees
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(offset)
        hasher.combine(rotationDegrees)
    }
}
