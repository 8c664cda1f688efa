import CordonCore
import CordonWire

/// Indented JSON for people reading a terminal.
enum PrettyJSON {
    static func format(_ v: Value, indent: String = "") -> String {
        let inner = indent + "  "
        switch v {
        case .array(let a) where !a.isEmpty:
            if a.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                return JSONText.encode(v)
            }
            return "[\n" + a.map { inner + format($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let o) where !o.isEmpty:
            return "{\n" + o.keys.sorted().map { k in
                inner + JSONText.encode(.string(k)) + ": " + format(o[k] ?? .null, indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return JSONText.encode(v)
        }
    }
}
