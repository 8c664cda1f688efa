import CordonCore
import Foundation

/// One published event as one line a person can read at a glance (what `cordon watch` prints):
/// time, state, severity (or decision, or muster mode), kind, who, where, and why.
///
/// ```
/// 08:00:00.250Z  RAISED   major     restricted-zone   person P0042 王伟 (E03)  in Tank farm 1 [Z-TANK-1]  — no qualification hot-work
/// 08:00:04.000Z  RAISED   major     overcrowding      zone Central control room [Z-E01-CCR] (E01)  — 9 people (max 8)
/// 08:00:09.100Z  access   DENIED    G3 in             person P9001 贾娟 (E02)  — induction-expired
/// 08:00:12.000Z  muster   drill     progress          — accounted 120/300, missing 180, 45 s
/// ```
///
/// Times are the event's own, in UTC (`Z`), or in the site's zone when its offset is given.
public enum EventLine {
    /// - Parameter utcOffsetSeconds: show times at this offset from UTC (the site's time zone);
    ///   nil for UTC.
    public static func format(topic: String, body: Value, color: Bool = false, utcOffsetSeconds: Int? = nil) -> String {
        let time = body["t"]?.stringValue.map { clock($0, utcOffsetSeconds: utcOffsetSeconds) } ?? "--:--:--"
        var parts: [String] = [time]
        if topic.hasPrefix("violation.") || topic.hasPrefix("cleared.") {
            let raised = topic.hasPrefix("violation.")
            let sev = body["severity"]?.stringValue ?? ""
            let kind = body["kind"]?.stringValue ?? String(topic.drop { $0 != "." }.dropFirst())
            var state = raised ? "RAISED " : "cleared"
            if color && raised { state = (sev == "critical" ? "\u{1B}[1;31m" : sev == "major" ? "\u{1B}[33m" : "\u{1B}[36m") + state + "\u{1B}[0m" }
            parts.append(state)
            parts.append(pad(sev, 8))
            parts.append(pad(kind, 16))
            let subject = body["subject"]
            parts.append(who(subject, zone: body["zone"]))
            if let place = whereabouts(kind, body) { parts.append(place) }
            let d = body["details"] ?? .object([:])
            if let summary = reason(kind, d, raised: raised, body: body) { parts.append("— " + summary) }
        } else if topic.hasPrefix("access.") {
            let granted = body["decision"]?.stringValue == "granted"
            parts.append("access ")
            var decision = granted ? "granted " : "DENIED  "
            if color && !granted { decision = "\u{1B}[1;31m" + decision + "\u{1B}[0m" }
            parts.append(decision)
            parts.append(pad("\(body["gate"]?.stringValue ?? String(topic.dropFirst(7))) \(body["direction"]?.stringValue ?? "")", 16))
            parts.append(who(body["subject"], zone: nil))
            var why: [String] = []
            if let r = body["reasons"]?.arrayValue, !r.isEmpty {
                why.append(r.compactMap { $0["code"]?.stringValue ?? $0.stringValue }.joined(separator: ", "))
            }
            if let n = body["count"]?.intValue, n > 1 { why.append("\(n) people counted") }
            if let b = body["booking"]?.stringValue { why.append("booking \(b)") }
            if let tag = body["tag"]?.stringValue, body["subject"]?["kind"]?.stringValue == "vehicle" { why.append("terminal \(tag)") }
            if !why.isEmpty { parts.append("— " + why.joined(separator: "; ")) }
        } else if topic.hasPrefix("muster.") {
            let event = String(topic.dropFirst(7))
            parts.append("muster ")
            parts.append(pad(body["mode"]?.stringValue ?? "", 8))
            parts.append(pad(event, 16))
            parts.append(contentsOf: muster(event, body))
        } else {
            parts.append(topic)
            if let o = body.objectValue {
                let keys = ["kind", "state", "id"]
                parts.append(keys.compactMap { k in o[k].map { "\(k)=\(short($0))" } }.joined(separator: " "))
            }
        }
        return parts.joined(separator: "  ")
    }

    // MARK: - Who and where

    /// `person P0042 王伟 (E03)`, `vehicle 鲁E12345 (E01)`, `tag T9001`,
    /// `zone Central control room [Z-E01-CCR] (E01)`.
    static func who(_ s: Value?, zone: Value?) -> String {
        guard let s else { return "" }
        let kind = s["kind"]?.stringValue ?? ""
        let id = s["id"]?.stringValue ?? ""
        var w: String
        if kind == "zone" {
            let name = s["name"]?.stringValue ?? zone?["name"]?.stringValue
            w = "zone " + (name.map { "\($0) [\(id)]" } ?? id)
        } else {
            w = kind.isEmpty ? id : "\(kind) \(id)"
            if let n = s["name"]?.stringValue, !n.isEmpty { w += " \(n)" }
        }
        if let e = s["enterprise"]?.stringValue { w += " (\(e))" }
        return w
    }

    /// `in Tank farm 1 [Z-TANK-1]` (not for a zone's own alarm), `at G3 in` for a gate's,
    /// `in Z-E01-CDU` from an alert's zones, else `at x, y` for a person's.
    static func whereabouts(_ kind: String, _ body: Value) -> String? {
        let subjectKind = body["subject"]?["kind"]?.stringValue
        if let z = body["zone"], let id = z["id"]?.stringValue {
            if subjectKind == "zone" && body["subject"]?["id"]?.stringValue == id { return nil }
            return "in " + (z["name"]?.stringValue.map { "\($0) [\(id)]" } ?? id)
        }
        let d = body["details"]
        if let gate = d?["gate"]?.stringValue {
            return "at \(gate)" + (d?["direction"]?.stringValue.map { " \($0)" } ?? "")
        }
        if let zones = d?["zones"]?.arrayValue?.compactMap(\.stringValue), !zones.isEmpty {
            return "in " + zones.joined(separator: ", ")
        }
        if subjectKind == "person" || subjectKind == "vehicle", let p = body["position"],
           let x = p["x"]?.numberValue, let y = p["y"]?.numberValue {
            let level = p["level"]?.intValue ?? 0
            return "at \(number(x, 0)), \(number(y, 0))" + (level != 0 ? " floor \(level)" : "")
        }
        return nil
    }

    // MARK: - Why

    /// The part of `details` that says what is wrong, by kind.
    static func reason(_ kind: String, _ d: Value, raised: Bool, body: Value) -> String? {
        let ended = d["ended"]?.stringValue
        var s: String?
        switch kind {
        case "restricted-zone":
            s = d["reason"]?.stringValue
            // Cleared while still inside (a permit issued, a qualification granted) says what
            // ended it; only a clear with no such cause is a walk out of the zone.
            if !raised { s = ended == nil ? "out of the zone" : nil }
        case "overcrowding":
            s = count(d["count"], "people") + (d["max_people"]?.intValue.map { " (max \($0))" } ?? "")
        case "understaffed":
            s = count(d["count"], "people") + (d["min_people"]?.intValue.map { " (min \($0))" } ?? "")
        case "overstay":
            var t = d["max_stay_min"]?.numberValue.map { "longer than \(number($0, 0)) min" } ?? "too long"
            if let since = d["entered_at"]?.stringValue { t += ", in since \(clock(since, utcOffsetSeconds: nil).prefix(8))" }
            if let b = d["booking"]?.stringValue { t += ", booking \(b)" }
            s = t
        case "lone-worker":
            var t = d["reason"]?.stringValue ?? "alone"
            if let p = d["permit"]?.stringValue {
                t += " (permit \(p)"
                if let g = d["guardians"]?.arrayValue?.compactMap(\.stringValue), !g.isEmpty { t += ", guardian " + g.joined(separator: ", ") }
                if let m = d["nearest_guardian_m"]?.numberValue { t += ", \(number(m, 0)) m away" }
                t += ")"
            }
            s = t
        case "crowding":
            if raised {
                s = count(d["count"], "people") + (d["radius_m"]?.numberValue.map { " within \(number($0, 0)) m" } ?? "")
                    + (d["duration_s"]?.numberValue.map { " for \(number($0, 0)) s" } ?? "")
                    + (d["min_people"]?.intValue.map { " (crowd: \($0))" } ?? "")
            } else {
                s = "largest group " + count(d["largest_group"], "people") + (d["min_people"]?.intValue.map { " (crowd: \($0))" } ?? "")
            }
        case "man-down":
            s = raised
                ? "still since " + (d["still_since"]?.stringValue.map { String(clock($0, utcOffsetSeconds: nil).prefix(8)) } ?? "?")
                    + " (\(number(d["man_down_after_s"]?.numberValue ?? 0, 0)) s + \(number(d["cancel_window_s"]?.numberValue ?? 0, 0)) s cancel window)"
                : "moving again"
        case "sos":
            s = raised ? "SOS pressed" : nil
        case "fall":
            s = raised ? "fall not cancelled within \(number(d["cancel_window_s"]?.numberValue ?? 0, 0)) s" : nil
        case "tamper":
            s = raised ? "tag \(d["tag"]?.stringValue ?? "") tampered with" : nil
        case "tag-offline":
            s = raised
                ? "silent since " + (d["last_position_at"]?.stringValue.map { String(clock($0, utcOffsetSeconds: nil).prefix(8)) } ?? "?")
                    + (d["offline_after_s"]?.numberValue.map { " (limit \(number($0, 0)) s)" } ?? "")
                : "reporting again"
        case "low-battery":
            var t = d["battery_pct"]?.numberValue.map { "battery \(number($0, 0)) %" } ?? "battery low"
            if let th = d["threshold_pct"]?.numberValue { t += " (threshold \(number(th, 0)) %)" }
            if raised, let c = d["carrier"]?.stringValue {
                t += ", carried by " + c.replacingOccurrences(of: ":", with: " ") + (d["carrier_name"]?.stringValue.map { " \($0)" } ?? "")
            }
            s = t
        case "untracked":
            s = raised
                ? "entered" + (d["gate"]?.stringValue.map { " at \($0)" } ?? "") + ", no position for "
                    + number(d["untracked_after_s"]?.numberValue ?? 0, 0) + " s" + (d["tag"]?.stringValue.map { " (tag \($0))" } ?? "")
                : nil
        case "no-entry-record":
            s = raised
                ? "positioned inside with no gate entry" + (d["first_seen"]?.stringValue.map { " since \(clock($0, utcOffsetSeconds: nil).prefix(8))" } ?? "")
                : nil
        case "unknown-tag":
            s = raised ? "tag \(d["tag"]?.stringValue ?? body["subject"]?["id"]?.stringValue ?? "") is not in the registry" : nil
        case "access-denied":
            s = codes(d["reasons"]).map { "refused: " + $0 }
        case "tailgating":
            s = d["count"]?.intValue.map { "\($0) people on one credential" }
        case "anti-passback":
            s = (d["reason"]?.stringValue ?? "anti-passback") + (d["mode"]?.stringValue.map { " (\($0))" } ?? "")
        case "route-deviation":
            s = raised
                ? "off route \(d["route"]?.stringValue ?? "") by \(number(d["distance_off_m"]?.numberValue ?? 0, 1)) m"
                    + (d["width_m"]?.numberValue.map { " (corridor \(number($0, 0)) m)" } ?? "")
                : "back on route \(d["route"]?.stringValue ?? "")"
        case "speeding":
            let limit = d["limit_kmh"]?.numberValue.map { " (limit \(number($0, 0)))" } ?? ""
            if raised {
                s = d["speed_kmh"]?.numberValue.map { "\(number($0, 1)) km/h" + limit }
            } else {
                s = "down to " + number(d["speed_kmh"]?.numberValue ?? 0, 1) + " km/h"
                    + (d["max_speed_kmh"]?.numberValue.map { ", top \(number($0, 1)) km/h" } ?? "") + limit
            }
        case "illegal-stop":
            if raised {
                s = "stopped since " + (d["stopped_since"]?.stringValue.map { String(clock($0, utcOffsetSeconds: nil).prefix(8)) } ?? "?")
                    + (d["stop_after_s"]?.numberValue.map { " (limit \(number($0, 0)) s outside a lot" } ?? " (")
                    + (d["destination"]?.stringValue.map { " or \($0)" } ?? "") + ")"
            } else {
                s = "moving again" + (d["duration_s"]?.numberValue.map { " after \(number($0, 0)) s" } ?? "")
            }
        case "forbidden-area":
            s = (d["how"]?.stringValue ?? "inside") + (d["vehicles"]?.stringValue.map { " (vehicles: \($0))" } ?? "")
        case "late-arrival":
            s = raised
                ? "booking \(d["booking"]?.stringValue ?? "") not at \(d["destination"]?.stringValue ?? "its destination") by "
                    + (d["deadline"]?.stringValue.map { String(clock($0, utcOffsetSeconds: nil).prefix(8)) } ?? "the deadline")
                : "arrived"
        case "parking-full":
            s = count(d["count"], "vehicles") + (d["capacity"]?.intValue.map { " (capacity \($0))" } ?? "")
        case "positioning-degraded":
            s = raised
                ? (d["reason"]?.stringValue ?? "positioning worse than required") + " — check anchors, tags, obstructions"
                : "\(d["poor_fixes"]?.intValue ?? 0) of \(d["fixes"]?.intValue ?? 0) fixes worse than \(number(d["required_accuracy_m"]?.numberValue ?? 0, 1)) m"
        default:
            s = d["reason"]?.stringValue
        }
        if !raised {
            let ack = d["acknowledged_by"]?.stringValue.map { "acknowledged by \($0)" }
            let extra = [ack, ended.map { "ended: \($0)" }].compactMap { $0 }
            if !extra.isEmpty { s = ([s].compactMap { $0 } + extra).joined(separator: "; ") }
        }
        return s
    }

    /// The lines of a muster event after its kind column.
    static func muster(_ event: String, _ b: Value) -> [String] {
        let accounted = b["accounted"]?.intValue, total = b["total"]?.intValue
        func share() -> String { "accounted \(accounted.map(String.init) ?? "?")/\(total.map(String.init) ?? "?")" }
        switch event {
        case "started":
            return ["— " + (b["by"]?.stringValue.map { "by \($0): " } ?? "") + "\(total.map(String.init) ?? "?") people to account for"
                + ((b["scope"]?.arrayValue?.compactMap(\.stringValue)).flatMap { $0.isEmpty ? nil : " in " + $0.joined(separator: ", ") } ?? "")]
        case "accounted":
            var who = "person \(b["person"]?.stringValue ?? "?")"
            if let n = b["name"]?.stringValue { who += " \(n)" }
            var out = [who]
            if let by = b["marked_by"]?.stringValue {
                out.append("marked safe by \(by)" + (b["note"]?.stringValue.map { " (\($0))" } ?? ""))
            } else if let p = b["point"]?.stringValue {
                out.append("at \(p)")
            }
            out.append("— " + share() + (b["late_entry"]?.boolValue == true ? " (came in during the muster)" : ""))
            return out
        case "progress":
            var t = share() + ", missing \(b["missing"]?.intValue.map(String.init) ?? "?")"
            if let e = b["elapsed_s"]?.numberValue { t += ", \(number(e, 0)) s" }
            if let late = b["late_entries"]?.intValue, late > 0 { t += ", \(late) came in late" }
            return ["— " + t]
        case "ended":
            var t = (b["ended_by"]?.stringValue.map { "by \($0): " } ?? "") + share()
                + ", missing \(b["missing"]?.intValue ?? b["missing_people"]?.arrayValue?.count ?? 0)"
            let t90 = b["time_to_90_s"]?.numberValue, t100 = b["time_to_100_s"]?.numberValue
            t += "; 90 % " + (t90.map { "in \(number($0, 0)) s" } ?? "never") + ", 100 % " + (t100.map { "in \(number($0, 0)) s" } ?? "never")
            return ["— " + t]
        default:
            return accounted != nil ? ["— " + share()] : []
        }
    }

    // MARK: - Pieces

    static func count(_ v: Value?, _ what: String) -> String {
        guard let n = v?.intValue else { return what }
        return n == 1 ? "1 " + (what == "people" ? "person" : String(what.dropLast())) : "\(n) \(what)"
    }

    static func codes(_ v: Value?) -> String? {
        guard let a = v?.arrayValue, !a.isEmpty else { return nil }
        return a.compactMap { $0["code"]?.stringValue ?? $0.stringValue }.joined(separator: ", ")
    }

    static func short(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return number(n, 3)
        case .bool(let b): return String(b)
        default: return "…"
        }
    }

    /// `n` with at most `places` decimals, trailing zeros dropped: 45.25 → `45.3` (1 place).
    static func number(_ n: Double, _ places: Int) -> String {
        guard n.isFinite else { return String(n) }
        let f = [1.0, 10, 100, 1000][min(max(places, 0), 3)]
        let r = (n * f).rounded() / f
        if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    /// `2026-11-22T08:00:00.250Z` → `08:00:00.250Z` (UTC, labelled), or at an offset:
    /// `16:00:00.250+08:00`.
    static func clock(_ s: String, utcOffsetSeconds: Int?) -> String {
        if let offset = utcOffsetSeconds, let t = RFC3339.parse(s) {
            let local = RFC3339.format(t.adding(seconds: Double(offset)))
            let sign = offset < 0 ? "-" : "+"
            let a = abs(offset)
            let label = sign + pad2(a / 3600) + ":" + pad2(a % 3600 / 60)
            return shortTime(local) + label
        }
        let base = shortTime(s)
        return s.hasSuffix("Z") ? base + "Z" : base
    }

    /// `2026-11-22T08:00:00.250Z` → `08:00:00.250`.
    static func shortTime(_ s: String) -> String {
        guard let tIndex = s.firstIndex(of: "T") else { return s }
        return String(s[s.index(after: tIndex)...].prefix(12))
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
