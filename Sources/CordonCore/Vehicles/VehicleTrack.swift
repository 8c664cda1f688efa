import Glibc
import Geometry

/// What the engine keeps about a vehicle's motion: its last fix, its speed (reported, or
/// derived from fixes), and the episodes the vehicle rules are timing.
public struct VehicleTrack: Sendable, Equatable {
    /// The last fix used for speed and for path crossings.
    public var lastFix: LocalPoint?
    public var lastFixTime: Instant?
    /// Current speed, km/h.
    public var speedKmh: Double = 0
    /// The speed was derived from fixes rather than reported.
    public var speedDerived = false
    /// Fixes dropped from speed derivation as GNSS jumps.
    public var jumps = 0
    /// Over the applicable limit since, and the highest speed in the episode.
    public var overSince: Instant?
    public var maxSpeedKmh: Double = 0
    /// Slower than the stop speed since (a stop), and whether a timer waits for it.
    public var slowSince: Instant?
    var stopTimerSet = false
    /// Outside its route's corridor since (counted from the first fix outside).
    public var offRouteSince: Instant?
    /// Inside its destination's premises now.
    public var atDestination = false
    /// The parking lot the vehicle is in, since when.
    public var lot: String?
    public var lotSince: Instant?
    /// Degrees clockwise from north of its last move of a metre or more (for platforms: JT/T
    /// 808's direction); nil until it has moved. Not kept across a restart.
    public var headingDeg: Double?
    /// First position inside the fence (the stay on site when no gate record says otherwise).
    public var onSiteSince: Instant?

    public init() {}

    /// Faster than this between two fixes is a GNSS jump, not a vehicle.
    static let implausibleKmh = 150.0

    /// Takes a new fix: the reported speed, or one derived from the previous fix. Duplicate fixes
    /// (same time) keep the previous speed; a jump keeps it too and is counted.
    mutating func fix(at p: LocalPoint, time t: Instant, reportedKmh: Double?) {
        defer {
            lastFix = p
            lastFixTime = t
        }
        if let last = lastFix, last.distance(to: p) >= 1 {
            // Site metres: x east, y north.
            let deg = atan2(p.x - last.x, p.y - last.y) * 180 / .pi
            headingDeg = deg < 0 ? deg + 360 : deg
        }
        if let reportedKmh {
            speedKmh = reportedKmh
            speedDerived = false
            return
        }
        guard let last = lastFix, let lt = lastFixTime else { return }
        let dt = t.seconds(since: lt)
        guard dt > 0 else { return }
        let kmh = last.distance(to: p) / dt * 3.6
        if kmh > Self.implausibleKmh {
            jumps += 1
            return
        }
        speedKmh = kmh
        speedDerived = true
    }
}
