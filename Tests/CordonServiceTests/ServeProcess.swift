import CordonCore
import CordonWire
import Foundation
import ZeroMQ

/// `cordon serve` as a real child process of the built binary, so that a test can kill it
/// with SIGKILL, on ephemeral loopback ports it reads back from the service's log.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let ingest: String
    let events: String
    let control: String
    private let errors = Pipe()

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

    init(site: String, data: String) throws {
        guard let binary = Self.binary else { throw Failure.noBinary }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--site", site, "--data", data, "--ingest", "tcp://127.0.0.1:*",
                             "--events", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*"]
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The service logs "ingest tcp://…, events tcp://…, control tcp://…" once bound.
        var text = ""
        let handle = errors.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        var found: [String]?
        while found == nil && Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            for line in text.split(separator: "\n") where line.contains("ingest tcp://") && line.contains("control tcp://") {
                let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
                let addresses = words.filter { $0.hasPrefix("tcp://") }
                if addresses.count == 3 { found = addresses }
            }
        }
        guard let found else {
            process.terminate()
            throw Failure.noAddresses(log: text)
        }
        (ingest, events, control) = (found[0], found[1], found[2])
        // Keep draining the log so the child never blocks on a full pipe.
        handle.readabilityHandler = { h in _ = h.availableData }
    }

    /// SIGKILL: no flush, no snapshot, no goodbye.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
    }

    /// SIGTERM: a clean stop.
    func stop() {
        process.terminate()
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
    }

    /// One control request on a fresh REQ socket.
    func request(_ r: Value, context: ZMQContext, timeoutMs: Int = 5000) throws -> Value {
        let s = try context.socket(.req)
        defer { s.close() }
        try s.setLinger(0)
        try s.setReceiveTimeout(timeoutMs)
        try s.connect(control)
        _ = try s.send(JSONText.encodeBytes(r))
        guard let reply = try s.receive() else { throw Failure.noReply(r) }
        return try JSONText.parse(reply.bytes)
    }

    enum Failure: Error {
        case noBinary
        case noAddresses(log: String)
        case noReply(Value)
    }
}
