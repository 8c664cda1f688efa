import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation

/// `cordon forward status`: how forwarding to the park's and the province's platforms stands,
/// per destination, from the running service (docs/forwarding.md, "Status").
struct Forward: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forwarding to other platforms.",
        subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per destination: backlog, oldest undelivered, last success, last error, given up.")

        @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
        @Option(help: "Milliseconds to wait for the reply.") var timeout = 5000
        @Flag(help: "Print the reply as JSON.") var json = false
        @OptionGroup var curve: CurveOptions

        func run() throws {
            let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
            guard let reply = try client.send(["op": "forward.status"]) else {
                FileHandle.standardError.write(Data("cordon forward status: no reply from \(control) within \(timeout) ms\n".utf8))
                throw ExitCode(3)
            }
            let v = try JSONText.parse(reply)
            guard v["ok"]?.boolValue == true else {
                FileHandle.standardError.write(Data("cordon forward status: \(v["error"]?["message"]?.stringValue ?? String(decoding: reply, as: UTF8.self))\n".utf8))
                throw ExitCode(1)
            }
            if json {
                print(PrettyJSON.format(v))
                return
            }
            print(Self.table(v["destinations"]?.arrayValue ?? []))
        }

        /// One line per destination; what is behind first catches the eye.
        static func table(_ destinations: [Value]) -> String {
            guard !destinations.isEmpty else { return "no forwarding destinations are configured (docs/forwarding.md)" }
            return destinations.map { d in
                let id = d["id"]?.stringValue ?? "?", kind = d["kind"]?.stringValue ?? "?"
                var line = "\(id) (\(kind)): backlog \(d["backlog"]?.intValue ?? 0)"
                if let oldest = d["oldest_undelivered"]?.stringValue { line += ", oldest undelivered \(oldest)" }
                line += ", delivered \(d["delivered_since_start"]?.intValue ?? 0) since start"
                if let ok = d["last_success"]?.stringValue { line += ", last success \(ok)" }
                let given = d["given_up"]?.intValue ?? 0
                if given > 0 { line += ", GIVEN UP \(given)" }
                if let e = d["last_error"]?.stringValue { line += "\n    last error \(d["last_error_at"]?.stringValue ?? ""): \(e)" }
                return line
            }.joined(separator: "\n")
        }
    }
}
