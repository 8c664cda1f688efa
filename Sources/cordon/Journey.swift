import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon journey BOOKING`: a truck's trip through the park, from the running service.
struct JourneyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Print a booking's journey: entry, route, arrival, departure, exit, violations.")

    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 5000
    @Flag(help: "Print the reply as JSON.") var json = false
    @OptionGroup var curve: CurveOptions
    @Argument(help: "The booking id, e.g. B0001.") var booking: String

    func run() throws {
        let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
        guard let reply = try client.send(["op": "journey", "booking": .string(booking)]) else {
            FileHandle.standardError.write(Data("cordon journey: no reply from \(control) within \(timeout) ms\n".utf8))
            throw ExitCode(3)
        }
        let v = try JSONText.parse(reply)
        guard v["ok"]?.boolValue == true, let j = v["journey"] else {
            FileHandle.standardError.write(Data("cordon journey: \(v["error"]?["message"]?.stringValue ?? String(decoding: reply, as: UTF8.self))\n".utf8))
            throw ExitCode(1)
        }
        if json {
            print(PrettyJSON.format(j))
            return
        }
        print("booking \(booking): \(j["plate"]?.stringValue ?? "?"), route \(j["route"]?.stringValue ?? "-") to \(j["destination"]?.stringValue ?? "-"), \(j["status"]?.stringValue ?? "")")
        for e in j["events"]?.arrayValue ?? [] {
            let detail = e["detail"]?.stringValue.map { " (\($0))" } ?? ""
            print("  \(e["at"]?.stringValue ?? "")  \(e["step"]?.stringValue ?? "")\(detail)")
        }
        let violations = j["violations"]?.arrayValue?.compactMap(\.stringValue) ?? []
        print(violations.isEmpty ? "  no violations" : "  violations: " + violations.joined(separator: ", "))
        let active = j["active_violations"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !active.isEmpty { print("  still active: " + active.joined(separator: ", ")) }
    }
}
