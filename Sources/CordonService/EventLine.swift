import CordonCore

/// One published event as one line a person can read at a glance:
/// `08:00:00.250  RAISED  critical  restricted-zone  person P0042 王伟 (E03)  in Tank farm 1 [Z-TANK-1]  — no qualification hot-work`.
public enum EventLine {
    public static func format(topic: String, body: Value, color: Bool = false) -> String {
        let time = body["t"]?.stringValue.map(shortTime) ?? "--:--:--"
        var parts: [String] = [time]
        if topic.hasPrefix("violation.") || topic.hasPrefix("cleared.") {
            let raised = topic.hasPrefix("violation.")
            let sev = body["severity"]?.stringValue ?? ""
            var state = raised ? "RAISED " : "cleared"
            if color && raised { state = (sev == "critical" ? "\u{1B}[1;31m" : sev == "major" ? "\u{1B}[33m" : "\u{1B}[36m") + state + "\u{1B}[0m" }
            parts.append(state)
            parts.append(pad(sev, 8))
            parts.append(pad(body["kind"]?.stringValue ?? topic, 16))
            parts.append(who(body["subject"]))
            if let z = body["zone"], let id = z["id"]?.stringValue {
                parts.append("in " + (z["name"]?.stringValue.map { "\($0) [\(id)]" } ?? id))
            }
            if let d = body["details"], let summary = detailSummary(body["kind"]?.stringValue ?? "", d) {
                parts.append("— " + summary)
            }
        } else if topic.hasPrefix("access.") {
            let decision = body["decision"]?.stringValue ?? "?"
            parts.append(decision == "granted" ? "access " : "DENIED ")
            parts.append("gate \(body["gate"]?.stringValue ?? "?") \(body["direction"]?.stringValue ?? "")")
            parts.append(who(body["subject"]))
            if let r = body["reasons"]?.arrayValue, !r.isEmpty {
                parts.append("— " + r.compactMap { $0.stringValue ?? $0["code"]?.stringValue }.joined(separator: ", "))
            }
        } else {
            parts.append(topic)
            if let o = body.objectValue {
                let keys = ["mode", "total", "accounted", "missing", "elapsed_s", "person", "point"]
                parts.append(keys.compactMap { k in o[k].map { "\(k)=\(short($0))" } }.joined(separator: " "))
            }
        }
        return parts.joined(separator: "  ")
    }

    static func who(_ s: Value?) -> String {
        guard let s else { return "" }
        var w = "\(s["kind"]?.stringValue ?? "") \(s["id"]?.stringValue ?? "")"
        if let n = s["name"]?.stringValue { w += " \(n)" }
        if let e = s["enterprise"]?.stringValue { w += " (\(e))" }
        return w
    }

    static func detailSummary(_ kind: String, _ d: Value) -> String? {
        switch kind {
        case "overcrowding", "understaffed":
            if let c = d["count"]?.intValue {
                let limit = d["max_people"]?.intValue ?? d["min_people"]?.intValue
                return "\(c) people" + (limit.map { " (limit \($0))" } ?? "")
            }
        default:
            if let r = d["reason"]?.stringValue { return r }
        }
        return nil
    }

    static func short(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return String(b)
        default: return "…"
        }
    }

    /// `2026-11-22T08:00:00.250Z` → `08:00:00.250` (UTC, as published).
    static func shortTime(_ s: String) -> String {
        guard let tIndex = s.firstIndex(of: "T") else { return s }
        return String(s[s.index(after: tIndex)...].prefix(12))
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
