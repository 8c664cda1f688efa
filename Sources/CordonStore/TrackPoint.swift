import CordonCore

/// One stored position of a subject's track (thinned by the service before it gets here).
public struct TrackPoint: Sendable, Equatable {
    public var subject: SubjectKey
    /// Event time of the position.
    public var time: Instant
    /// Site-local metres.
    public var x: Double
    public var y: Double
    public var level: Int
    public var lon: Double
    public var lat: Double
    /// The zone it was in, when it was in one.
    public var zoneID: String?
    /// Metres per second, when known.
    public var speed: Double?

    public init(
        subject: SubjectKey, time: Instant, x: Double, y: Double, level: Int, lon: Double, lat: Double,
        zoneID: String? = nil, speed: Double? = nil
    ) {
        self.subject = subject
        self.time = time
        self.x = x
        self.y = y
        self.level = level
        self.lon = lon
        self.lat = lat
        self.zoneID = zoneID
        self.speed = speed
    }
}
