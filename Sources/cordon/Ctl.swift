import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon ctl`: one control request, reply printed.
struct Ctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one control request and print the reply.",
        discussion: """
            Examples:
              cordon ctl ping
              cordon ctl headcount '{"zone":"Z-E01-TANK-1"}'
              cordon ctl alarms.ack '{"id":"V-…","by":"duty officer Li"}'
            Exit status: 0 when the reply is ok, 1 when it is an error, 3 when no reply came.
            """)

    @OptionGroup var client: ControlOptions
    @Flag(help: "Print the reply compact on one line instead of indented.") var compact = false
    @Argument(help: "The op, e.g. ping, headcount, whereis, alarms.active.") var op: String
    @Argument(help: "The request's other members as a JSON object.") var json: String?

    func run() throws {
        var members: [String: Value] = [:]
        if let json {
            do {
                guard case .object(let o) = try JSONText.parse(json) else {
                    throw ValidationError("the request members must be a JSON object, e.g. '{\"zone\":\"Z-1\"}'")
                }
                members = o
            } catch let e as ValidationError {
                throw e
            } catch {
                throw ValidationError("not valid JSON: \(error)")
            }
        }
        members["op"] = .string(op)
        let reply = try client.send(.object(members), command: "ctl")
        let value = try? JSONText.parse(reply)
        let text = compact || value == nil ? String(decoding: reply, as: UTF8.self) : PrettyJSON.format(value ?? .null)
        print(text)
        if value?["ok"]?.boolValue != true { throw ExitCode(1) }
    }
}
