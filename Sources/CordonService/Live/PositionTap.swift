import CordonCore
import CordonWire
import Geometry

/// Turns accepted positions into the live map's `position` messages (docs/protocol.md, "HTTP"):
/// at most one per subject every `minIntervalS`, and nothing at all while no client listens,
/// so the hot path pays one flag check then.
final class PositionTap {
    let feed: LiveFeed
    let minIntervalS: Double
    /// The site's frame, for lon/lat: the pipeline sets it again when the site is reloaded.
    var frame: LocalFrame
    /// When each subject (by the engine's slot) was last sent.
    private var lastSent: [Instant?] = []

    init(feed: LiveFeed, frame: LocalFrame, minIntervalS: Double = 0.5) {
        self.feed = feed
        self.frame = frame
        self.minIntervalS = minIntervalS
    }

    /// Offers the position the engine has just accepted, with where it left its subject.
    func offer(_ p: PositionReport, track s: TrackSummary, receivedAt: Instant) {
        guard feed.hasClients else { return }
        if s.slot >= lastSent.count { lastSent.append(contentsOf: repeatElement(nil, count: s.slot + 1 - lastSent.count)) }
        if let last = lastSent[s.slot], receivedAt.seconds(since: last) < minIntervalS { return }
        lastSent[s.slot] = receivedAt
        let body = Self.body(Engine.LastPosition(key: s.key, point: s.point, level: s.level, zone: s.firstZoneID, time: p.time), frame: frame)
        var text = Array("{\"topic\":\"position\",\"body\":".utf8)
        text += JSONText.encodeBytes(body)
        text.append(UInt8(ascii: "}"))
        feed.post(position: text, subject: s.key.description)
    }

    /// A `position` message's body: the same for the live stream and the map's first load.
    static func body(_ p: Engine.LastPosition, frame: LocalFrame) -> Value {
        let g = frame.toLonLat(p.point)
        return .compact([
            "subject": ["kind": .string(p.key.kind), "id": .string(p.key.id)],
            "x": .number(p.point.x.rounded(toPlaces: 2)), "y": .number(p.point.y.rounded(toPlaces: 2)),
            "lon": .number(g.lon.rounded(toPlaces: 7)), "lat": .number(g.lat.rounded(toPlaces: 7)),
            "level": .int(p.level), "zone": .optional(p.zone), "t": .time(p.time),
        ])
    }
}

extension Pipeline {
    /// The map's first load (`GET /api/console/positions`): every subject positioned within
    /// the offline window, each as the live stream's `position` body.
    public func livePositions() -> [UInt8] {
        let frame = engine.site.frame
        let list = engine.lastPositions(withinS: engine.site.settings.offlineAfterS)
        return ReplyEncoder.ok(["positions": .array(list.map { PositionTap.body($0, frame: frame) }), "t": .time(engine.now)])
    }
}
