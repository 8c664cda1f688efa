import CordonCore
import CordonStore
import Geometry

/// Decides which positions go into the track history: a subject's position is kept when it
/// moved more than `minDistanceM`, changed zones, or `maxIntervalS` passed since the last kept
/// one. A 1 Hz tag standing still writes one row a minute instead of sixty.
final class TrackThinner {
    struct Last {
        var time: Instant
        var point: LocalPoint
        var zones: Int
    }

    let minDistanceM: Double
    let maxIntervalS: Double
    /// By the engine's subject slot: a position costs an array index, not a hashed key.
    private var last: [Last?] = []
    /// Kept apart from `last`: a backlog being flushed must not thin away the live track.
    private var lastStale: [SubjectKey: Last] = [:]

    init(minDistanceM: Double = 5, maxIntervalS: Double = 60) {
        self.minDistanceM = minDistanceM
        self.maxIntervalS = maxIntervalS
    }

    /// Offers the position the engine has just accepted, with where it left its subject.
    func offer(_ p: PositionReport, track s: TrackSummary, to writer: StoreWriter) {
        let slot = s.slot
        if slot >= last.count { last.append(contentsOf: repeatElement(nil, count: slot + 1 - last.count)) }
        if let l = last[slot] {
            let dx = s.point.x - l.point.x, dy = s.point.y - l.point.y
            let moved = (dx * dx + dy * dy) >= minDistanceM * minDistanceM
            guard moved || l.zones != s.zoneSignature || p.time.seconds(since: l.time) >= maxIntervalS else { return }
        }
        last[slot] = Last(time: p.time, point: s.point, zones: s.zoneSignature)
        // lon/lat are filled in on the writer's thread (see Pipeline): the conversion is not free.
        _ = writer.append(TrackPoint(
            subject: s.key, time: p.time, x: s.point.x, y: s.point.y, level: s.level, lon: .nan, lat: .nan,
            zoneID: s.firstZoneID, speed: p.speedKmh))
    }

    /// A stale position (docs/protocol.md, "Time") already located in site metres: kept in the
    /// history, thinned the same way, without asking the engine, whose state it must not touch.
    func offerStale(_ p: PositionReport, at point: LocalPoint, key: SubjectKey, site: Site, to writer: StoreWriter) {
        let zone = site.firstZoneID(at: point, level: p.level)
        let signature = zone?.hashValue ?? 0
        if let l = lastStale[key], p.time >= l.time {
            let dx = point.x - l.point.x, dy = point.y - l.point.y
            let moved = (dx * dx + dy * dy) >= minDistanceM * minDistanceM
            guard moved || l.zones != signature || p.time.seconds(since: l.time) >= maxIntervalS else { return }
        }
        lastStale[key] = Last(time: p.time, point: point, zones: signature)
        _ = writer.append(TrackPoint(
            subject: key, time: p.time, x: point.x, y: point.y, level: p.level, lon: .nan, lat: .nan,
            zoneID: zone, speed: p.speedKmh))
    }
}
