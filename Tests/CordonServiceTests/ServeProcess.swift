import CordonCore
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
import ZeroMQ

/// `cordon serve` as a real child process of the built binary, so that a test can kill it
/// with SIGKILL, on ephemeral loopback ports it reads back from the service's log (`serve.log` in the data
/// directory).
final class ServeProcess: @unchecked Sendable {
    let process: ChildProcess
    let ingest: String
    let events: String
    let control: String
    /// Where the service's log goes.
    let logPath: String

    /// The `cordon` executable built next to the test bundle.
    static var binary: String? {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        candidates.append(argv0.appendingPathComponent("cordon"))
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("cordon"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/cordon"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// - Parameters:
    ///   - http: the console's address; off unless a test asks, so that children running side
    ///     by side never contend for the default port.
    ///   - log: where the log goes; `serve.log` in the data directory unless a test whose data
    ///     directory will fill says otherwise.
    ///   - user: a numeric user id to run as (through `setpriv`), for a test that needs file
    ///     permissions to apply while the tests run as root.
    ///   - extra: more arguments for `serve` (`--forwarding FILE`).
    init(site: String, data: String, http: String = "off", log: String? = nil, user: UInt32? = nil, extra: [String] = []) throws {
        guard let binary = Self.binary else { throw Failure.noBinary }
        let arguments = ["serve", "--site", site, "--data", data, "--ingest", "tcp://127.0.0.1:*",
                         "--events", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*", "--http", http] + extra
        // The log goes to a file beside the data, never a pipe: nothing has to drain it, and a
        // failing test can read what the service said.
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        logPath = log ?? (data as NSString).appendingPathComponent("serve.log")
        if let user {
            process = try ChildProcess("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binary] + arguments,
                                       stderr: .file(logPath))
        } else {
            process = try ChildProcess(binary, arguments, stderr: .file(logPath))
        }
        // The service logs "ingest tcp://…, events tcp://…, control tcp://…" once bound.
        let deadline = Date().addingTimeInterval(20)
        var found: [String]?
        while found == nil && Date() < deadline && process.isRunning {
            for line in Self.read(logPath).split(separator: "\n") where line.contains("ingest tcp://") && line.contains("control tcp://") {
                let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
                let addresses = words.filter { $0.hasPrefix("tcp://") }
                if addresses.count == 3 { found = addresses }
            }
            if found == nil { usleep(20_000) }
        }
        guard let found else {
            process.kill()
            throw Failure.noAddresses(log: Self.read(logPath))
        }
        (ingest, events, control) = (found[0], found[1], found[2])
    }

    /// What the service logged so far.
    var log: String { Self.read(logPath) }

    private static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the process to end on its own: its exit status.
    func exitStatus(within timeout: Double) -> Int32? {
        process.wait(within: timeout)?.code
    }

    /// SIGKILL: no flush, no snapshot, no goodbye.
    func kill() {
        process.kill()
    }

    /// SIGTERM: a clean stop (killed after 30 s).
    func stop() {
        _ = process.stop(SIGTERM, within: 30)
    }

    /// Sends `signal` and waits up to `timeout` seconds: the exit status and how long it took,
    /// or nil when it had to be killed.
    func stop(signal: Int32, timeout: Double) -> (status: Int32, seconds: Double)? {
        let start = Date()
        let (status, inTime) = process.stop(signal, within: timeout)
        return inTime ? (status.code, Date().timeIntervalSince(start)) : nil
    }

    /// One control request on a fresh REQ socket.
    func request(_ r: Value, context: ZMQContext, timeoutMs: Int = 5000) throws -> Value {
        try ControlClient.ask(r, endpoint: control, context: context, timeoutMilliseconds: timeoutMs)
    }

    enum Failure: Error {
        case noBinary
        case noAddresses(log: String)
    }
}
