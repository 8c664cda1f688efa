import CordonCore
import CordonStore
import CordonWire

extension Pipeline {
    /// What `/metrics` shows, read on the engine thread from the same numbers `ping` reports:
    /// `counters` is exactly `ping`'s `counters`, so the two cannot disagree.
    public func metricsSnapshot(at t: Instant) -> Value {
        // Every kind is there, at 0 with its configured severity when nothing of it is up: a
        // dashboard shows 0, not "no data" (docs/protocol.md, metrics).
        var alarms: [String: Value] = [:]
        for kind in ViolationKind.allCases {
            alarms["\(kind.rawValue)|\(engine.site.severity(of: kind, default: kind.defaultSeverity).rawValue)"] = 0
        }
        for v in engine.alarms.active.values {
            let key = "\(v.kind.rawValue)|\(v.severity.rawValue)"
            alarms[key] = .int((alarms[key]?.intValue ?? 0) + 1)
        }
        // `presence` without the list: the gate ledger's counts by kind.
        let presence = (try? JSONText.parse(control(["op": "presence", "list": false], at: t))) ?? .null
        return [
            "counters": counters.value(trackHistoryDropped: writer?.droppedCount ?? 0),
            "tracked": .int(engine.trackedCount),
            "alarms": .object(alarms),
            "on_site": presence["by_kind"] ?? .object([:]),
            "store_queue_depth": .int((writer?.queuedCount ?? 0) + heldEvents),
            "store_ok": .bool(storeFailure == nil),
            "store_held_bytes": .int(committer?.heldBytes ?? 0),
            "forwarding": .array(((try? forwarder?.status())?.arrayValue ?? []).map { d in
                let oldest = d["oldest_undelivered"]?.stringValue.flatMap { RFC3339.parse($0) }
                return .compact(["id": d["id"] ?? .null, "backlog": d["backlog"] ?? 0, "given_up": d["given_up"] ?? 0,
                                 "delivered_since_start": d["delivered_since_start"] ?? 0,
                                 "oldest_age_s": .number(oldest.map { max(0, t.seconds(since: $0)) } ?? 0)])
            }),
        ]
    }
}
