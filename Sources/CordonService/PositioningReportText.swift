import CordonCore
import CordonWire
import Foundation

/// The accuracy report (`report.positioning`) as a table for a terminal or as CSV for the
/// enterprise's acceptance file; JSON is the reply itself.
public enum PositioningReportText {
    public static let header = [
        "row", "zone", "name", "risk", "required_m", "fixes", "rated_fixes", "accuracy_p50_m", "accuracy_p95_m",
        "within_requirement", "ref_fixes", "static_p50_m", "static_p95_m", "static_max_m", "interval_p50_s",
        "interval_p95_s", "gaps", "longest_gap_s", "undecided_s", "undecided_spells", "verdict", "reasons",
    ]

    /// Every row of the report: zones, then risk classes, then all fixes.
    static func rows(_ report: Value) -> [[String]] {
        var out: [[String]] = []
        func add(_ kind: String, _ r: Value) {
            out.append([
                kind, s(r["zone"]), s(r["name"]), s(r["risk"]), s(r["required_accuracy_m"]), s(r["fixes"]), s(r["rated_fixes"]),
                s(r["accuracy_m"]?["p50"]), s(r["accuracy_m"]?["p95"]), s(r["within_requirement"]),
                s(r["static_error_m"]?["fixes"]), s(r["static_error_m"]?["p50"]), s(r["static_error_m"]?["p95"]),
                s(r["static_error_m"]?["max"]), s(r["interval_s"]?["p50"]), s(r["interval_s"]?["p95"]), s(r["gaps"]),
                s(r["longest_gap_s"]), s(r["undecided_s"]), s(r["undecided_spells"]), s(r["verdict"]),
                (r["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "; "),
            ])
        }
        for z in report["zones"]?.arrayValue ?? [] { add("zone", z) }
        for c in report["classes"]?.arrayValue ?? [] { add("class", c) }
        if let a = report["all"] { add("all", a) }
        return out
    }

    /// RFC 4180, CRLF line ends, one row per zone, per risk class, and one for all fixes.
    public static func csv(_ report: Value) -> String {
        ([header] + rows(report)).map { $0.map(CSVField.quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A fixed-width table; zones and classes without a fix in the window are left out (the CSV has them).
    public static func table(_ report: Value) -> String {
        let cols = ["zone", "risk", "req m", "fixes", "acc p50", "acc p95", "within", "ref n", "static p50", "p95", "max",
                    "int p50 s", "p95 s", "gaps", "undecided s", "verdict"]
        var lines: [[String]] = [cols]
        for r in rows(report) {
            if r[0] != "all" && r[5] == "0" && r[10] == "0" && r[19] == "0" { continue }
            let label = r[0] == "zone" ? r[1] : (r[0] == "class" ? "class " + r[3] : "all fixes")
            let within = Double(r[9]).map { String(format: "%.1f%%", $0 * 100) } ?? ""
            lines.append([label, r[3], r[4], r[5], r[7], r[8], within, r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[18], r[20]])
        }
        var widths = Array(repeating: 0, count: cols.count)
        for l in lines { for (i, c) in l.enumerated() { widths[i] = max(widths[i], c.count) } }
        var text = "positioning report, site \(s(report["site"])), \(s(report["from"])) to \(s(report["to"])) — \(s(report["standard"]))\n"
        for l in lines {
            text += l.enumerated().map { i, c in i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[i] - c.count) + c }.joined(separator: "  ") + "\n"
        }
        text += "verdict: \(s(report["verdict"]))"
        let failing = (report["zones"]?.arrayValue ?? []).filter { $0["verdict"]?.stringValue == "fail" }
        for z in failing {
            text += "\n  \(s(z["zone"])): " + (z["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "; ")
        }
        return text + "\n"
    }

    static func s(_ v: Value?) -> String { MusterCSV.s(v) }
}
