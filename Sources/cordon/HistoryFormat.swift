import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation

/// A column of `cordon history`'s table and CSV: its title and where in a row it is.
struct HistoryColumn {
    var title: String
    var path: [String]
    init(_ title: String, _ path: String...) {
        self.title = title
        self.path = path
    }

    func text(_ row: Value) -> String {
        var v: Value? = row
        for p in path { v = v?[p] }
        switch v {
        case .string(let s)?: return s
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b)?: return b ? "true" : "false"
        case nil, .null?: return ""
        case let other?: return JSONText.encode(other)
        }
    }
}

/// `--format`: aligned columns for people, CSV for spreadsheets, JSON for programs.
enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    func render(_ rows: [Value], columns: [HistoryColumn]) -> String {
        switch self {
        case .json:
            return rows.map { JSONText.encode($0) }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        case .csv:
            let quote = CSVField.quoted
            var out = columns.map { quote($0.title) }.joined(separator: ",") + "\r\n"
            for r in rows { out += columns.map { quote($0.text(r)) }.joined(separator: ",") + "\r\n" }
            return out
        case .table:
            let cells = rows.map { r in columns.map { $0.text(r) } }
            var widths = columns.map { $0.title.count }
            for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
            func line(_ values: [String]) -> String {
                zip(values, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces) + "\n"
            }
            return line(columns.map(\.title)) + cells.map(line).joined() + "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n"
        }
    }
}
