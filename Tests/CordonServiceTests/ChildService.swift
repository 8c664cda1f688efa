import CordonCore
import CordonService
import CordonWire
import Foundation

/// `cordon serve` as its own process, started from the binary `swift build` made: for what
/// only a real process shows (signals, exit status, time to exit).
final class ChildService {
    let process = Process()
    let dataDirectory: String
    let ingest: String, events: String, control: String
    let stderr = Pipe()

    /// The `cordon` binary next to the test bundle's build products.
    static var binary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/cordon")
    }

    /// A loopback port that was free a moment ago.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    init(dataDirectory: String = ServiceHarness.temporaryDirectory(), extra: [String] = []) throws {
        self.dataDirectory = dataDirectory
        ingest = "tcp://127.0.0.1:\(Self.freePort())"
        events = "tcp://127.0.0.1:\(Self.freePort())"
        control = "tcp://127.0.0.1:\(Self.freePort())"
        process.executableURL = Self.binary
        process.arguments = ["serve", "--site", ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path,
                             "--data", dataDirectory, "--ingest", ingest, "--events", events, "--control", control] + extra
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Up when it answers.
        let client = try ControlClient(endpoint: control, timeoutMilliseconds: 300)
        for _ in 0..<100 where process.isRunning {
            if client.request(["op": "ping"])?["ok"] == true { return }
        }
        throw ChildError.didNotStart(String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self))
    }

    /// Sends `signal` and waits up to `timeout` seconds; the exit status and how long it took.
    func stop(signal: Int32 = SIGTERM, timeout: Double = 10) -> (status: Int32, seconds: Double)? {
        let start = Date()
        kill(process.processIdentifier, signal)
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            usleep(10_000)
        }
        return (process.terminationStatus, Date().timeIntervalSince(start))
    }

    enum ChildError: Error { case didNotStart(String) }
}
