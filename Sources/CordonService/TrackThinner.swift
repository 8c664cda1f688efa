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
    private var last: [SubjectKey: Last] = [:]

    init(minDistanceM: Double = 5, maxIntervalS: Double = 60) {
        self.minDistanceM = minDistanceM
        self.maxIntervalS = maxIntervalS
    }

    func offer(_ p: PositionReport, engine: Engine, to writer: StoreWriter) {
        let key = engine.subjectKey(for: p.source)
        guard let s = engine.state(of: key) else { return }
        let zoneSig = s.stays.reduce(s.stays.count) { $0 &* 31 &+ $1.zone }
        if let l = last[key] {
            let dx = s.point.x - l.point.x, dy = s.point.y - l.point.y
            let moved = (dx * dx + dy * dy) >= minDistanceM * minDistanceM
            guard moved || l.zones != zoneSig || p.time.seconds(since: l.time) >= maxIntervalS else { return }
        }
        last[key] = Last(time: p.time, point: s.point, zones: zoneSig)
        let g = engine.site.frame.toLonLat(s.point)
        writer.append(TrackPoint(
            subject: key, time: p.time, x: s.point.x, y: s.point.y, level: s.level, lon: g.lon, lat: g.lat,
            zoneID: s.stays.first.map { engine.site.zones[$0.zone].id }, speed: p.speedKmh))
    }
}
