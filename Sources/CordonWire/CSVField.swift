import Foundation

/// One field of a CSV file as RFC 4180 writes it: quoted when it holds a comma, a quote or a
/// line break, its quotes doubled. The muster report, the positioning report and `cordon
/// history --format csv` all write their cells through it.
public enum CSVField {
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
