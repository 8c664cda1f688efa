import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon report positioning`: the AQ 3064.3 accuracy report, from a running service or from
/// a replay of a file through the same engine.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for acceptance files.",
        subcommands: [Positioning.self])

    struct Positioning: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Positioning accuracy per zone and risk class, with a verdict against AQ 3064.3-2025.",
            discussion: """
                From a running service (the control op report.positioning):
                  cordon report positioning --from 2026-11-22T00:00:00+08:00 --to 2026-11-23T00:00:00+08:00
                From a replay file, through the same engine (what serve would have reported):
                  cordon report positioning --site SITE.geojson --registry REG.json --input traffic.jsonl
                Hours are whole: the window takes every hour it overlaps. docs/positioning.md explains
                every column and the verdict. Exit status: 0 when the verdict is pass, 1 otherwise
                (fail, incomplete, not-measured), 2 for unusable arguments, 3 when no reply came.
                """)

        @Option(help: "Start of the window, RFC 3339 or epoch milliseconds (default: 24 h before --to).") var from: String?
        @Option(help: "End of the window (default: now, or the end of --input).") var to: String?
        @Option(help: "table, csv or json.") var format = "table"
        @Option(help: "Control address of the running service.") var control = "tcp://127.0.0.1:7003"
        @Option(help: "Milliseconds to wait for the reply.") var timeout = 10000
        @OptionGroup var curve: CurveOptions
        @Option(help: "Replay this file instead of asking a service (needs --site).") var input: String?
        @Option(help: "The site file, with --input.") var site: String?
        @Option(help: "A registry file (people, vehicles, references), with --input.") var registry: String?

        func validate() throws {
            guard ["table", "csv", "json"].contains(format) else { throw ValidationError("--format must be table, csv or json") }
            if input != nil, site == nil { throw ValidationError("--input needs --site: the replay runs on a site") }
            for (name, v) in [("--from", from), ("--to", to)] {
                if let v, Self.instant(v) == nil { throw ValidationError("\(name) '\(v)' is neither an RFC 3339 time with a zone nor epoch milliseconds") }
            }
        }

        static func instant(_ text: String) -> Instant? {
            if let ms = Int64(text), ms >= 0 { return Instant(milliseconds: ms) }
            return RFC3339.parse(text)
        }

        func run() throws {
            var request: [String: Value] = ["op": "report.positioning"]
            if let from { request["from"] = .string(from) }
            if let to { request["to"] = .string(to) }
            let reply: Value
            if let input, let site { reply = try replayed(input: input, site: site, request: request) } else { reply = try asked(request) }
            guard reply["ok"]?.boolValue == true, let report = reply["report"] else {
                let message = reply["error"]?["message"]?.stringValue ?? JSONText.encode(reply)
                FileHandle.standardError.write(Data("cordon report positioning: \(message)\n".utf8))
                throw ExitCode(1)
            }
            switch format {
            case "json": print(JSONText.encode(report))
            case "csv": print(PositioningReportText.csv(report), terminator: "")
            default: print(PositioningReportText.table(report), terminator: "")
            }
            if report["verdict"]?.stringValue != "pass" { throw ExitCode(1) }
        }

        private func asked(_ request: [String: Value]) throws -> Value {
            let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
            defer { client.close() }
            guard let reply = client.request(.object(request)) else {
                FileHandle.standardError.write(Data("cordon report positioning: no reply from \(control) within \(timeout) ms (is cordon serve running?)\n".utf8))
                throw ExitCode(3)
            }
            return reply
        }

        private func replayed(input: String, site: String, request: [String: Value]) throws -> Value {
            let loaded: Site
            var reg: Registry?
            var reader: LineReader
            do {
                loaded = try SiteFile.load(path: site)
                if let registry { reg = try RegistryFile.load(path: registry) }
                reader = try LineReader(path: input)
            } catch {
                FileHandle.standardError.write(Data("cordon report positioning: \(error)\n".utf8))
                throw ExitCode(2)
            }
            let runner = ReplayRunner(site: loaded, sitePath: site, registry: reg, writeBytes: { _ in })
            let summary = runner.run(lines: { reader.forEachLine($0) }, tailSeconds: 0)
            let end = summary.lastTime ?? runner.engine.now
            let result: ControlResult
            do throws(RequestError) {
                // The request is read as the control socket reads it; the window ends after the
                // input's last line unless it says otherwise.
                var window = ReportWindow()
                if case .engine(.reportPositioning(let w)) = try ControlOp.reportPositioning.route(.object(request)) { window = w }
                if window.to == nil { window.to = Instant(milliseconds: end.milliseconds + 1) }
                result = runner.engine.control(.reportPositioning(window), at: end)
            } catch {
                result = ControlResult(reply: .failure(error))
            }
            switch result.reply {
            case .success(let members): return .object(members.merging(["ok": true]) { a, _ in a })
            case .failure(let e): return ["ok": false, "error": ["code": .string(e.code), "message": .string(e.message)]]
            }
        }
    }
}
