import CordonCore
import CordonWire
import Foundation

/// A muster report as CSV for the emergency commander's spreadsheet.
public enum MusterCSV {
    public static let header = ["id", "name", "enterprise", "status", "accounted_at", "point", "marked_by", "note", "late_entry",
                         "last_seen_at", "last_zone", "last_x", "last_y", "last_level"]

    /// One row per person on the roster, RFC 4180, CRLF line ends.
    public static func render(_ report: Value) -> String {
        var rows = [header]
        for a in report["accounted_people"]?.arrayValue ?? [] {
            rows.append([s(a["id"]), s(a["name"]), s(a["enterprise"]), "accounted", s(a["at"]), s(a["point"]), s(a["marked_by"]), s(a["note"]),
                         s(a["late_entry"]), "", "", "", "", ""])
        }
        for m in report["missing_people"]?.arrayValue ?? [] {
            rows.append([s(m["id"]), s(m["name"]), s(m["enterprise"]), "missing", "", "", "", "", s(m["late_entry"]),
                         s(m["last_seen_at"]), s(m["zone"]?["id"]), s(m["last_position"]?["x"]), s(m["last_position"]?["y"]),
                         s(m["level"])])
        }
        return rows.map { $0.map(CSVField.quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func s(_ v: Value?) -> String {
        switch v {
        case .string(let x)?: return x
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b)?: return b ? "true" : "false"
        default: return ""
        }
    }
}
