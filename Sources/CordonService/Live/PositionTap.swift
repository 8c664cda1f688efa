import CordonCore
import CordonWire
import Geometry

/// Turns accepted positions into the live map's `position` messages (PROTOCOL.md section 8):
/// at most one per subject every `minIntervalS`, and nothing at all while no client listens,
/// so the hot path pays one flag check then.
final class PositionTap {
    let feed: LiveFeed
    let minIntervalS: Double
    private var lastSent: [SourceID: Instant] = [:]

    init(feed: LiveFeed, minIntervalS: Double = 0.5) {
        self.feed = feed
        self.minIntervalS = minIntervalS
    }

    func offer(_ p: PositionReport, engine: Engine, receivedAt: Instant) {
        guard feed.hasClients else { return }
        if let last = lastSent[p.source], receivedAt.seconds(since: last) < minIntervalS { return }
        guard let s = engine.trackSummary(for: p.source) else { return }
        lastSent[p.source] = receivedAt
        if lastSent.count > 200_000 { lastSent.removeAll(keepingCapacity: true) }
        let g = engine.site.frame.toLonLat(s.point)
        let body: Value = .compact([
            "subject": ["kind": .string(s.key.kind), "id": .string(s.key.id)],
            "x": .number(s.point.x.rounded(toPlaces: 2)), "y": .number(s.point.y.rounded(toPlaces: 2)),
            "lon": .number(g.lon.rounded(toPlaces: 7)), "lat": .number(g.lat.rounded(toPlaces: 7)),
            "level": .int(s.level), "zone": .optional(s.firstZone), "t": .time(p.time),
        ])
        var text = Array("{\"topic\":\"position\",\"body\":".utf8)
        text += JSONText.encodeBytes(body)
        text.append(UInt8(ascii: "}"))
        feed.post(position: text, subject: s.key.description)
    }
}
