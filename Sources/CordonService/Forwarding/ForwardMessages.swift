import CordonCore
import CordonStore
import CordonWire
import Geometry

/// Turns what the engine said into outbox messages for the destinations that take them: the
/// envelope of docs/forwarding.md without `seq` and `sent_at`, which are filled in when the
/// message is queued and sent. Built on the committer's thread, in the commit that stores the
/// event, so that a message exists exactly when its event does.
struct ForwardMessages: Sendable {
    let destinations: [ForwardingDestination]
    let site: String

    var isEmpty: Bool { destinations.isEmpty }

    /// `alarm.raised` or `alarm.cleared` for a violation with the body that was published for it,
    /// and for a vehicle's alarm `vehicle.alarm` too, to destinations that take it.
    func messages(for v: Violation, body: String, now: Instant) -> [OutboxMessage] {
        let step = v.state == .raised ? "raised" : "cleared"
        var out = make(type: "alarm." + step, stream: "alarm", step: step, v, body: body, occurred: v.time, now: now, acknowledgement: nil)
        if v.subject.kind == "vehicle" {
            out += make(type: "vehicle.alarm", stream: "vehicle", step: step, v, body: body, occurred: v.time, now: now, acknowledgement: nil)
        }
        return out
    }

    /// `alarm.acknowledged`: the alarm as it stood, with who acknowledged it and when.
    func acknowledgement(of v: Violation, by: String, at t: Instant, now: Instant) -> [OutboxMessage] {
        make(type: "alarm.acknowledged", stream: "alarm", step: "acknowledged", v, body: JSONText.encode(v.body(site: site)), occurred: t,
             now: now, acknowledgement: (by, t))
    }

    private func make(type: String, stream: String, step: String, _ v: Violation, body: String, occurred: Instant, now: Instant,
                      acknowledgement: (by: String, at: Instant)?) -> [OutboxMessage] {
        let takers = destinations.filter { $0.takes(type: type, v) }
        guard !takers.isEmpty else { return [] }
        // The body as it was published (the stored text); the violation's own as a fallback.
        let published = (try? JSONText.parse(Array(body.utf8)))?.objectValue ?? v.body(site: site).objectValue ?? [:]
        return takers.map { d in
            var b = published
            if !d.names, case .object(var s)? = b["subject"] {
                s["name"] = nil
                b["subject"] = .object(s)
            }
            b["stored"] = nil
            if let a = acknowledgement { b["acknowledged"] = ["by": .string(a.by), "at": .time(a.at)] }
            b["content"] = .string(ContentLine.line(v, step: step, names: d.names, acknowledgedBy: acknowledgement?.by))
            let msgID = StableID(d.id, type, v.id, "\(v.time.milliseconds)", "\(occurred.milliseconds)").id(prefix: "F-")
            let envelope: Value = .compact([
                "v": 1, "msg_id": .string(msgID), "type": .string(type), "site": .string(site), "park": .optional(d.park),
                "enterprise": .optional(v.subject.enterprise), "gateway": .optional(d.gateway),
                "occurred_at": .time(occurred), "body": .object(b),
            ])
            return OutboxMessage(destination: d.id, stream: stream, msgID: msgID, type: type,
                                 subject: "\(v.subject.kind):\(v.subject.id)", created: now, envelope: JSONText.encode(envelope))
        }
    }

    /// `headcount.snapshot` for `d`: the zones it covers with someone in them (total, by
    /// enterprise, contractors), at `t`.
    func headcount(_ zones: [ZoneHeadcount], for d: ForwardingDestination, at t: Instant) -> OutboxMessage {
        let shown = zones.filter { z in d.zones.map { $0.contains(z.zoneID) } ?? true }
        let body: Value = [
            "t": .time(t), "total_in_zones": .int(shown.reduce(0) { $0 + $1.total }),
            "zones": .array(shown.map { z in
                .compact(["id": .string(z.zoneID), "name": .optional(z.name), "risk": .optional(z.risk), "total": .int(z.total),
                          "contractors": .int(z.contractors), "by_enterprise": .object(z.byEnterprise.mapValues { .int($0) })])
            }),
            "content": .string("【区域人数】\(shown.count) 个区域共 \(shown.reduce(0) { $0 + $1.total }) 人，\(t.rfc3339)"),
        ]
        return stateMessage(type: "headcount.snapshot", stream: "headcount", body: body, for: d, at: t)
    }

    /// `vehicle.position` for `d`: where a hazardous-chemicals vehicle is, with its speed and
    /// heading, the booking and cargo it came in on, and the zones it is in.
    func vehiclePosition(_ f: HazmatVehicleFix, for d: ForwardingDestination, at t: Instant) -> OutboxMessage {
        let cargo: Value = f.cargo.map { c in .compact(["un": .string(c.un), "class": .string(c.hazardClass), "name": .optional(c.name)]) } ?? .null
        var line = "【危化品车辆位置】\(f.plate)"
        if let c = f.cargo { line += " UN\(c.un)（\(c.hazardClass) 类）" }
        // No space after a full-width parenthesis.
        // Reported speeds are at most 1000 km/h at the door (docs/protocol.md); the guard
        // stays, since an integer is made of it.
        let speed = f.speedKmh < 10_000 ? String(Int(f.speedKmh.rounded())) : String(f.speedKmh)
        line += (f.cargo == nil ? " " : "") + speed + " km/h"
        if let z = f.zones.first { line += " @ \(z)" }
        let body: Value = .compact([
            "plate": .string(f.plate), "enterprise": .optional(f.enterprise), "t": .time(f.time),
            "position": .compact(["x": .number(f.point.x), "y": .number(f.point.y), "level": .int(f.level),
                                  "lon": .number(f.lonLat.lon), "lat": .number(f.lonLat.lat)]),
            "speed_kmh": .number((f.speedKmh * 10).rounded() / 10), "heading_deg": f.headingDeg.map { .number($0.rounded()) } ?? .null,
            "booking": .optional(f.booking), "cargo": cargo, "destination": .optional(f.destination),
            "zones": .array(f.zones.map(Value.string)), "content": .string(line + "，\(f.time.rfc3339)"),
        ])
        let msgID = StableID(d.id, "vehicle.position", f.plate, "\(f.time.milliseconds)", "\(t.milliseconds)").id(prefix: "F-")
        let envelope: Value = .compact([
            "v": 1, "msg_id": .string(msgID), "type": "vehicle.position", "site": .string(site), "park": .optional(d.park),
            "enterprise": .optional(f.enterprise), "gateway": .optional(d.gateway), "occurred_at": .time(f.time), "body": body,
        ])
        return OutboxMessage(destination: d.id, stream: "vehicle", msgID: msgID, type: "vehicle.position", subject: "vehicle:\(f.plate)",
                             created: t, envelope: JSONText.encode(envelope))
    }

    /// A message about the park's state at `t` (not about one subject): latest wins in its stream.
    private func stateMessage(type: String, stream: String, body: Value, for d: ForwardingDestination, at t: Instant) -> OutboxMessage {
        let msgID = StableID(d.id, type, "\(t.milliseconds)").id(prefix: "F-")
        let envelope: Value = .compact([
            "v": 1, "msg_id": .string(msgID), "type": .string(type), "site": .string(site), "park": .optional(d.park),
            "gateway": .optional(d.gateway), "occurred_at": .time(t), "body": body,
        ])
        return OutboxMessage(destination: d.id, stream: stream, msgID: msgID, type: type, subject: "site:\(site)",
                             created: t, envelope: JSONText.encode(envelope))
    }

    /// `muster.status` for `d`: the running roll-call as `muster.status` gives it, people's
    /// names left out unless the destination takes names.
    func muster(_ status: Value, for d: ForwardingDestination, at t: Instant) -> OutboxMessage {
        var body = status
        if !d.names, case .object(var o) = body {
            for (k, v) in o where k.hasSuffix("_people") {
                o[k] = .array((v.arrayValue ?? []).map { p in
                    guard case .object(var person) = p else { return p }
                    person["name"] = nil
                    return .object(person)
                })
            }
            body = .object(o)
        }
        if case .object(var o) = body {
            let accounted = o["accounted"]?.intValue ?? 0, total = o["total"]?.intValue ?? 0
            o["content"] = .string("【应急点名】已清点 \(accounted)/\(total) 人，未到 \(max(0, total - accounted)) 人，\(t.rfc3339)")
            body = .object(o)
        }
        return stateMessage(type: "muster.status", stream: "muster", body: body, for: d, at: t)
    }

    /// The envelope as sent: `seq` and `sent_at` added to the stored object.
    static func wire(_ m: OutboxMessage, sentAt: Instant) -> [UInt8] {
        var bytes = Array(m.envelope.utf8)
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return bytes }
        bytes.replaceSubrange(close..., with: Array(",\"seq\":\(m.seq),\"sent_at\":\"\(sentAt.rfc3339)\"}".utf8))
        return bytes
    }
}
