import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation

/// `cordon history audit`: who changed what, from the running service's audit.
struct HistoryAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the changing control requests of a window: who, when, the op, and what came of it.",
        discussion: """
            Examples:
              cordon history audit --since 24h
              cordon history audit --from 2026-12-01T00:00:00+08:00 --to 2026-12-02T00:00:00+08:00 --format csv
              cordon history audit --caller "duty officer Li" --op muster.start
            Needs the operator or admin role on a CURVE-secured service.
            """)

    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "How far back from now: 90m, 24h, 7d (default 24h when --from is not given).") var since: String?
    @Option(help: "Start of the window: RFC 3339 with a zone, or epoch milliseconds.") var from: String?
    @Option(help: "End of the window (default now).") var to: String?
    @Option(help: "Only this caller's requests.") var caller: String?
    @Option(help: "Only this op, e.g. alarms.ack.") var op: String?
    @Option(help: "At most this many entries.") var limit = 1000
    @Option(help: "table, csv or json.") var format: HistoryFormat = .table
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 10_000
    @OptionGroup var curve: CurveOptions

    func run() throws {
        var request: [String: Value] = ["op": "audit.list", "limit": .int(limit)]
        let now = Instant(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let until = try to.map { try WindowOption.instant($0, "--to") } ?? now.adding(seconds: 1)
        request["until"] = .time(until)
        if let from {
            request["from"] = .time(try WindowOption.instant(from, "--from"))
        } else {
            request["from"] = .time(now.adding(seconds: -(try WindowOption.seconds(since ?? "24h"))))
        }
        if let caller { request["caller"] = .string(caller) }
        if let op { request["operation"] = .string(op) }
        let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
        guard let bytes = try client.send(.object(request)) else {
            FileHandle.standardError.write(Data("cordon history audit: no reply from \(control) within \(timeout) ms\n".utf8))
            throw ExitCode(3)
        }
        let reply = try JSONText.parse(bytes)
        guard reply["ok"] == true else {
            FileHandle.standardError.write(Data("cordon history audit: \(reply["error"]?["message"]?.stringValue ?? String(decoding: bytes, as: UTF8.self))\n".utf8))
            throw ExitCode(1)
        }
        let entries = reply["entries"]?.arrayValue ?? []
        switch format {
        case .json:
            print(PrettyJSON.format(reply))
        case .csv:
            print("seq,t,caller,role,op,ok,error_code,request")
            for e in entries {
                let cells = [e["seq"].map(JSONText.encode) ?? "", e["t"]?.stringValue ?? "", e["caller"]?.stringValue ?? "",
                             e["role"]?.stringValue ?? "", e["op"]?.stringValue ?? "", e["ok"] == true ? "true" : "false",
                             e["error_code"]?.stringValue ?? "", e["request"].map(JSONText.encode) ?? ""]
                print(cells.map(CSVField.quoted).joined(separator: ","))
            }
        case .table:
            print("time (UTC)                 caller                  role      op                 result")
            for e in entries {
                let result = e["ok"] == true ? "ok" : (e["error_code"]?.stringValue ?? "error")
                print([Self.pad(e["t"]?.stringValue ?? "", 26), Self.pad(e["caller"]?.stringValue ?? "", 23),
                       Self.pad(e["role"]?.stringValue ?? "", 9), Self.pad(e["op"]?.stringValue ?? "", 18), result].joined(separator: " "))
            }
            print("\(entries.count) entr\(entries.count == 1 ? "y" : "ies")")
        }
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}

/// Reading the time options of history commands.
enum WindowOption {
    /// `--since` of every history command: `90s`, `30m`, `24h`, `7d`, or plain seconds, more
    /// than nothing and at most a hundred years (a number from outside, bounded before it
    /// becomes a time).
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text)
        var factor = 1.0
        if let last = text.last, let u = units[last] {
            factor = u
            number = text.dropLast()
        }
        guard let n = Double(number), n.isFinite, n > 0, n <= 36_600 * 86_400 / factor else {
            throw ValidationError("--since must be a duration like 90s, 30m, 24h or 7d (at most 100 years); got '\(text)'")
        }
        return n * factor
    }

    /// RFC 3339 with a zone, or epoch milliseconds.
    static func instant(_ text: String, _ option: String) throws -> Instant {
        if let t = RFC3339.parse(text) { return t }
        if let n = Double(text), let t = Bounded.instant(epochMilliseconds: n) { return t }
        throw ValidationError("\(option) '\(text)' is not an RFC 3339 time with a zone or epoch milliseconds")
    }
}
