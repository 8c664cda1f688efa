import ArgumentParser
import CordonCore
import CordonService
import Foundation

/// The options and the round trip every command that asks a running `serve` one question
/// shares (`ctl`, `history`, `store`): the address, the timeout and the CURVE options, through
/// the one ``ControlClient``.
struct ControlOptions: ParsableArguments {
    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 5000
    @OptionGroup var curve: CurveOptions

    /// Sends one request; the raw reply, or exit status 3 (with a message) when none came.
    func send(_ request: Value, command: String) throws -> [UInt8] {
        let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
        guard let reply = try client.send(request) else {
            FileHandle.standardError.write(Data("cordon \(command): no reply from \(control) within \(timeout) ms (is cordon serve running, and are the CURVE keys right?)\n".utf8))
            throw ExitCode(3)
        }
        return reply
    }
}
