import CordonCore

/// People and vehicles from the CSV files a park's HR and logistics systems export, for
/// `cordon import` (docs/gates.md, "Registry import").
///
/// A file is UTF-8 (a byte-order mark is allowed), comma-separated with RFC 4180 quoting,
/// and starts with a header row naming its columns in any order:
///
/// - people: `id` (required), `name`, `role`, `enterprise`, `tag`, `card`, `contractor`,
///   `induction_until`, `blacklisted`, `qualifications`;
/// - vehicles: `plate` and `kind` (required), `enterprise`, `tag`, `blacklisted`.
///
/// Every row is checked (the same checks as `registry.upsert`, plus duplicates within the
/// file) and every problem is reported with its line number. A file with any problem yields
/// nothing: import is all or nothing per file.
public enum RegistryCSV {
    /// What a file holds.
    public enum Kind: String, Sendable, CaseIterable {
        case people, vehicles

        /// The columns it may have, in the documented order.
        public var columns: [String] {
            switch self {
            case .people:
                return ["id", "name", "role", "enterprise", "tag", "card", "contractor", "induction_until", "blacklisted",
                        "qualifications"]
            case .vehicles:
                return ["plate", "kind", "enterprise", "tag", "blacklisted"]
            }
        }

        var required: [String] { self == .people ? ["id"] : ["plate", "kind"] }
    }

    /// One thing wrong with a file, at a line (1 is the header).
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// A file that cannot be imported, with every problem found.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]

        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// The records of a valid file.
    public struct Records: Sendable {
        public var kind: Kind
        public var people: [Person] = []
        public var vehicles: [Vehicle] = []

        public var count: Int { kind == .people ? people.count : vehicles.count }
    }

    /// Reads a whole file. `kind` is taken from the header when not given (a file with an `id`
    /// column holds people, one with a `plate` column vehicles).
    public static func read(_ bytes: [UInt8], kind expected: Kind? = nil) -> Result<Records, Failure> {
        var problems: [Problem] = []
        let rows: [(line: Int, fields: [String])]
        switch parse(bytes) {
        case .success(let r): rows = r
        case .failure(let p): return .failure(Failure(problems: [p]))
        }
        guard let header = rows.first else {
            return .failure(Failure(problems: [Problem(line: 1, message: "the file is empty; it needs a header row")]))
        }
        let names = header.fields.map { $0.trimmingSpaces.lowercased() }
        let kind: Kind
        if let expected {
            kind = expected
        } else if names.contains("id") {
            kind = .people
        } else if names.contains("plate") {
            kind = .vehicles
        } else {
            return .failure(Failure(problems: [Problem(line: header.line,
                message: "the header names neither 'id' (people) nor 'plate' (vehicles): \(names.joined(separator: ","))")]))
        }
        var seen = Set<String>()
        for n in names {
            if !kind.columns.contains(n) {
                problems.append(Problem(line: header.line,
                    message: "unknown column '\(n)'; \(kind.rawValue) columns are \(kind.columns.joined(separator: ", "))"))
            }
            if !seen.insert(n).inserted { problems.append(Problem(line: header.line, message: "column '\(n)' appears twice")) }
        }
        for r in kind.required where !names.contains(r) {
            problems.append(Problem(line: header.line, message: "the required column '\(r)' is missing"))
        }
        guard problems.isEmpty else { return .failure(Failure(problems: problems)) }

        var out = Records(kind: kind)
        var firstLine: [String: Int] = [:]  // id, plate, card or tag → the line that had it first
        func unique(_ what: String, _ value: String?, _ line: Int) {
            guard let value, !value.isEmpty else { return }
            if let other = firstLine[what + "\u{0}" + value] {
                problems.append(Problem(line: line, message: "\(what) '\(value)' is already on line \(other)"))
            } else {
                firstLine[what + "\u{0}" + value] = line
            }
        }
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                problems.append(Problem(line: row.line,
                    message: "\(row.fields.count) fields where the header has \(names.count) (a comma inside a value needs \"quotes\")"))
                continue
            }
            var record: [String: Value] = [:]
            var rowProblems: [String] = []
            for (name, raw) in zip(names, row.fields) {
                let text = raw.trimmingSpaces
                guard !text.isEmpty else { continue }
                switch name {
                case "contractor", "blacklisted":
                    if let b = flag(text) { record[name] = .bool(b) } else {
                        rowProblems.append("\(name) '\(text)' is not true/false, yes/no, 1/0 or 是/否")
                    }
                case "qualifications":
                    record[name] = .array(qualifications(text))
                default:
                    record[name] = .string(text)
                }
            }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { Problem(line: row.line, message: $0) }
                continue
            }
            do throws(RequestError) {
                switch kind {
                case .people:
                    let p = try RegistryRecords.person(.object(record))
                    unique("id", p.id, row.line)
                    unique("card", p.card, row.line)
                    unique("tag", p.tag, row.line)
                    out.people.append(p)
                case .vehicles:
                    let v = try RegistryRecords.vehicle(.object(record))
                    unique("plate", v.plate, row.line)
                    unique("tag", v.tag, row.line)
                    out.vehicles.append(v)
                }
            } catch {
                problems.append(Problem(line: row.line, message: error.message))
            }
        }
        if out.count == 0, problems.isEmpty {
            problems.append(Problem(line: header.line, message: "the file has a header and no rows"))
        }
        return problems.isEmpty ? .success(out) : .failure(Failure(problems: problems))
    }

    /// `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`, `是`/`否` (any case).
    static func flag(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes", "y", "1", "是": return true
        case "false", "no", "n", "0", "否": return false
        default: return nil
        }
    }

    /// `hot-work:2027-06-30; confined-space` → `[{"name":"hot-work","expires":"2027-06-30"}, "confined-space"]`
    /// (items separated by `;` or `|`, an expiry after the first `:`).
    static func qualifications(_ s: String) -> [Value] {
        s.split(whereSeparator: { $0 == ";" || $0 == "|" }).compactMap { item -> Value? in
            let text = String(item).trimmingSpaces
            guard !text.isEmpty else { return nil }
            guard let colon = text.firstIndex(of: ":") else { return ["name": .string(text)] }
            return ["name": .string(String(text[..<colon]).trimmingSpaces),
                    "expires": .string(String(text[text.index(after: colon)...]).trimmingSpaces)]
        }
    }

    /// RFC 4180 records with the line each starts on; blank lines are skipped.
    static func parse(_ bytes: [UInt8]) -> Result<[(line: Int, fields: [String])], Problem> {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        // UTF-8 first, line by line, so that a bad byte is reported with its line.
        var lineNo = 1
        for line in b.split(separator: 10, omittingEmptySubsequences: false) {
            if String(validating: line, as: UTF8.self) == nil {
                return .failure(Problem(line: lineNo, message: "not valid UTF-8 (save the file as UTF-8, not GBK)"))
            }
            lineNo += 1
        }
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quoted = false
        var line = 1
        var start = 1
        var i = b.startIndex
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].trimmingSpaces.isEmpty) { rows.append((start, fields)) }
            fields = []
        }
        while i < b.endIndex {
            let c = b[i]
            if inQuotes {
                if c == 34 {
                    if b.index(after: i) < b.endIndex, b[b.index(after: i)] == 34 {
                        field.append(34)
                        i = b.index(after: i)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == 10 { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case 44: endField()
                case 34 where field.allSatisfy({ $0 == 32 }) && !quoted:
                    field.removeAll()
                    inQuotes = true
                    quoted = true
                case 13: break
                case 10:
                    endRecord()
                    line += 1
                    start = line
                default: field.append(c)
                }
            }
            i = b.index(after: i)
        }
        if inQuotes { return .failure(Problem(line: start, message: "a quoted value is never closed")) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return .success(rows)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation in the core).
    var trimmingSpaces: String {
        let s = unicodeScalars
        guard let a = s.firstIndex(where: { !$0.properties.isWhitespace }),
              let z = s.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(s[a...z])
    }
}
