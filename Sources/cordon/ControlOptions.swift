import ArgumentParser
import CordonCore
import CordonWire
import Foundation
import ZeroMQ

/// The options and the REQ round trip every command that talks to a running `serve` shares
/// (`ctl`, `history`).
struct ControlOptions: ParsableArguments {
    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 5000
    @Option(help: "CURVE: the server's Z85 public key.") var curveServerKey: String?
    @Option(help: "CURVE: a file holding this client's Z85 secret key.") var curveKeyFile: String?

    /// Sends one request; the raw reply, or exit status 3 (with a message) when none came.
    func send(_ request: Value, command: String) throws -> [UInt8] {
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
        _ = try socket.send(JSONText.encodeBytes(request))
        guard let reply = try socket.receive() else {
            FileHandle.standardError.write(Data("cordon \(command): no reply from \(control) within \(timeout) ms (is cordon serve running?)\n".utf8))
            throw ExitCode(3)
        }
        return reply.bytes
    }
}
