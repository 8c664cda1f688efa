import ArgumentParser
import CordonCore
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

    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 5000
    @Flag(help: "Print the reply compact on one line instead of indented.") var compact = false
    @Option(help: "CURVE: the server's Z85 public key.") var curveServerKey: String?
    @Option(help: "CURVE: a file holding this client's Z85 secret key.") var curveKeyFile: String?
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
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let socket = try ctx.socket(.req)
        defer { socket.close() }
        try socket.setLinger(0)
        try socket.setReceiveTimeout(timeout)
        if let server = curveServerKey {
            guard let secret = curveKeyFile.flatMap({ KeyFile.read($0).first }) else {
                throw ValidationError("--curve-server-key needs --curve-key-file with this client's secret key")
            }
            try socket.curveClient(serverPublicKey: server, publicKey: try ZMQCurve.publicKey(forSecretKey: secret), secretKey: secret)
        }
        try socket.connect(control)
        _ = try socket.send(JSONText.encodeBytes(.object(members)))
        guard let reply = try socket.receive() else {
            FileHandle.standardError.write(Data("cordon ctl: no reply from \(control) within \(timeout) ms (is cordon serve running?)\n".utf8))
            throw ExitCode(3)
        }
        let value = try? JSONText.parse(reply.bytes)
        let text = compact || value == nil ? reply.string : PrettyJSON.format(value ?? .null)
        print(text)
        if value?["ok"]?.boolValue != true { throw ExitCode(1) }
    }
}
