/// A position in a site's local frame: metres east (`x`) and north (`y`) of its origin.
public struct LocalPoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance in metres.
    @inlinable
    public func distance(to other: LocalPoint) -> Double {
        let dx = x - other.x, dy = y - other.y
        return (dx * dx + dy * dy).squareRoot()
    }

    public var isFinite: Bool { x.isFinite && y.isFinite }

    public var description: String { "(\(x), \(y))" }
}

/// A WGS84 position in degrees (RFC 7946 order: longitude first).
public struct LonLat: Hashable, Sendable, CustomStringConvertible {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    public var description: String { "[\(lon), \(lat)]" }
}

/// An axis-aligned rectangle in local metres. Boundaries are inclusive.
///
/// The empty box has `minX > maxX` (see `Bounds.empty`): it contains nothing and is
/// infinitely far from every point.
public struct Bounds: Hashable, Sendable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The bounds of an empty geometry.
    public static let empty = Bounds(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    /// The smallest box holding every point (`.empty` for none).
    public init<S: Sequence>(covering points: S) where S.Element == LocalPoint {
        var b = Bounds.empty
        for p in points {
            b.minX = Swift.min(b.minX, p.x)
            b.minY = Swift.min(b.minY, p.y)
            b.maxX = Swift.max(b.maxX, p.x)
            b.maxY = Swift.max(b.maxY, p.y)
        }
        self = b
    }

    public var isEmpty: Bool { !(minX <= maxX && minY <= maxY) }
    public var width: Double { isEmpty ? 0 : maxX - minX }
    public var height: Double { isEmpty ? 0 : maxY - minY }
    public var center: LocalPoint { LocalPoint(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }

    /// The box grown by `d` metres on every side (shrunk for negative `d`).
    @inlinable
    public func expanded(by d: Double) -> Bounds {
        Bounds(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    /// Whether `p` lies inside or on the boundary.
    @inlinable
    public func contains(_ p: LocalPoint) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }

    /// Whether the two boxes share at least one point.
    @inlinable
    public func intersects(_ other: Bounds) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// Distance in metres from `p` to the box: 0 inside or on the boundary, infinity when empty.
    @inlinable
    public func distance(to p: LocalPoint) -> Double {
        if !(minX <= maxX && minY <= maxY) { return .infinity }
        let dx = p.x < minX ? minX - p.x : (p.x > maxX ? p.x - maxX : 0)
        let dy = p.y < minY ? minY - p.y : (p.y > maxY ? p.y - maxY : 0)
        if dx == 0 { return dy }
        if dy == 0 { return dx }
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The smallest box holding both.
    public func union(_ other: Bounds) -> Bounds {
        Bounds(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
               maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    public var description: String { "[\(minX), \(minY)] - [\(maxX), \(maxY)]" }
}
