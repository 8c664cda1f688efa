import Geometry

/// A positioning tag fixed at a surveyed point (AQ 3064.3 acceptance): its fixes measure the
/// real static error of the positioning system where it stands, not the error the system
/// reports. A reference tag is no one: it is never counted in a zone, on site, or in a muster.
public struct ReferenceTag: Sendable, Equatable, Codable {
    public var id: String
    public var tag: String
    /// The surveyed point in the site's local metres.
    public var x: Double
    public var y: Double
    public var level: Int

    public init(id: String, tag: String, x: Double, y: Double, level: Int = 0) {
        self.id = id
        self.tag = tag
        self.x = x
        self.y = y
        self.level = level
    }

    public var point: LocalPoint { LocalPoint(x: x, y: y) }

    /// The largest surveyed coordinate taken (metres from the site's origin): a point farther
    /// out is a typo or a coordinate in the wrong units.
    public static let maxCoordinateM = 100_000.0
}
