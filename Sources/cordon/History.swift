import ArgumentParser
import CordonCore
import CordonWire
import Foundation

/// `cordon history`: what the record says, asked of a running `serve` (read-only control ops).
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the record: violations, gate passages, a subject's track, the audit of changes.",
        discussion: """
            Examples:
              cordon history violations --kind restricted-zone --zone Z-E01-TANK-1 --since 24h
              cordon history violations --id V-20261203-000123          (its raise, acknowledgement, clear)
              cordon history passages --gate G2 --from 2026-12-03T08:00:00+08:00 --to 2026-12-03T12:00:00+08:00
              cordon history track P0042 --from 2026-12-03T00:00:00+08:00 --to 2026-12-04T00:00:00+08:00 --format csv
            Times are RFC 3339 with a zone, or epoch milliseconds. Exit status: 0 ok, 1 an error reply, 3 no reply.
            """,
        subcommands: [Violations.self, Passages.self, Track.self, HistoryAudit.self])

    /// The window and the output shared by the three.
    struct Common: ParsableArguments {
        @Option(help: "How far back from now: 90s, 30m, 24h, 7d.") var since: String?
        @Option(help: "Start of the window (RFC 3339 or epoch ms).") var from: String?
        @Option(help: "End of the window, exclusive (default now).") var to: String?
        @Option(help: "At most this many rows (1–100000).") var limit: Int?
        @Option(help: "table, csv or json.") var format: HistoryFormat = .table
        @OptionGroup var client: ControlOptions

        func members() throws -> [String: Value] {
            var m: [String: Value] = [:]
            if let since {
                guard from == nil else { throw ValidationError("give --since or --from, not both") }
                m["since_s"] = .number(try WindowOption.seconds(since))
            }
            if let from { m["from"] = Self.time(from) }
            if let to { m["until"] = Self.time(to) }
            if let limit { m["limit"] = .int(limit) }
            return m
        }

        static func time(_ s: String) -> Value {
            if let n = Int64(s) { return .number(Double(n)) }
            return .string(s)
        }

        /// Sends the request and prints `rows` of the reply's `key` as asked.
        func run(_ op: String, _ extra: [String: Value], rows key: String, columns: [HistoryColumn]) throws {
            var m = try members()
            for (k, v) in extra { m[k] = v }
            m["op"] = .string(op)
            let bytes = try client.send(.object(m), command: "history")
            guard let reply = try? JSONText.parse(bytes) else {
                print(String(decoding: bytes, as: UTF8.self))
                throw ExitCode(1)
            }
            guard reply["ok"]?.boolValue == true else {
                FileHandle.standardError.write(Data("cordon history: \(reply["error"]?["code"]?.stringValue ?? "error"): \(reply["error"]?["message"]?.stringValue ?? "")\n".utf8))
                throw ExitCode(1)
            }
            let rows = reply[key]?.arrayValue ?? []
            print(format.render(rows, columns: columns), terminator: "")
            if reply["truncated"]?.boolValue == true {
                FileHandle.standardError.write(Data("cordon history: more rows than --limit \(rows.count); narrow the window or raise the limit\n".utf8))
            }
        }
    }

    struct Violations: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raises, acknowledgements and clears, oldest first.")
        @Option(help: "A violation kind, e.g. restricted-zone.") var kind: String?
        @Option(help: "A zone id.") var zone: String?
        @Option(help: "A subject id: person, plate, tag or zone.") var subject: String?
        @Option(help: "One violation's id: its whole history.") var id: String?
        @Option(help: "raised, acknowledged or cleared.") var state: String?
        @OptionGroup var common: Common

        func run() throws {
            var extra: [String: Value] = [:]
            for (k, v) in [("kind", kind), ("zone", zone), ("subject", subject), ("id", id), ("state", state)] {
                if let v { extra[k] = .string(v) }
            }
            if id != nil && common.since == nil && common.from == nil { extra["from"] = .number(0) }
            try common.run("history.violations", extra, rows: "events", columns: [
                .init("t", "t"), .init("step", "step"), .init("kind", "kind"), .init("severity", "severity"),
                .init("subject", "subject", "id"), .init("zone", "zone"), .init("by", "by"), .init("id", "id"),
            ])
        }
    }

    struct Passages: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Access decisions at a gate or about a subject, oldest first.")
        @Option(help: "A gate id.") var gate: String?
        @Option(help: "A subject id: person or plate.") var subject: String?
        @Option(help: "granted or denied.") var decision: String?
        @OptionGroup var common: Common

        func run() throws {
            var extra: [String: Value] = [:]
            for (k, v) in [("gate", gate), ("subject", subject), ("decision", decision)] {
                if let v { extra[k] = .string(v) }
            }
            try common.run("history.passages", extra, rows: "passages", columns: [
                .init("t", "t"), .init("gate", "gate"), .init("direction", "direction"), .init("subject", "subject", "id"),
                .init("decision", "decision"), .init("booking", "booking"), .init("id", "id"),
            ])
        }
    }

    struct Track: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A subject's stored positions (thinned), oldest first.")
        @Argument(help: "A person id, or a plate with --plate, or a tag with --tag.") var subject: String
        @Flag(help: "The subject is a plate.") var plate = false
        @Flag(help: "The subject is a tag.") var tag = false
        @OptionGroup var common: Common

        func run() throws {
            let key = plate ? "plate" : tag ? "tag" : "person"
            try common.run("track", [key: .string(subject)], rows: "positions", columns: [
                .init("t", "t"), .init("x", "x"), .init("y", "y"), .init("level", "level"), .init("lon", "lon"),
                .init("lat", "lat"), .init("zone", "zone"), .init("speed_kmh", "speed_kmh"),
            ])
        }
    }
}
