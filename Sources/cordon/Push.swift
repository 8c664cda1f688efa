import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon push`: JSON lines to the ingest socket, as an RTLS engine or a gate controller would
/// send them, each stamped with the current time. For trying a site out and for the tour.
struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send JSON lines (docs/protocol.md, 'Ingest messages') to the ingest socket, each stamped with the current time.",
        discussion: """
            Examples:
              cordon push docs/examples/tour/gate.jsonl
              cordon push --every 1 docs/examples/tour/truck-in.jsonl      # a line a second
              cordon push --repeat-every 2 positions.jsonl                # the whole file every 2 s, until Ctrl-C
            """)

    @Option(help: "Ingest address.") var ingest = "tcp://127.0.0.1:7001"
    @Option(help: "Seconds between lines (default: all at once).") var every: Double?
    @Option(help: "Send the whole file again every this many seconds, until interrupted; the file is read anew each time.")
    var repeatEvery: Double?
    @Flag(help: "Keep each line's own 't' instead of stamping the current time.") var keepTime = false
    @OptionGroup var curve: CurveOptions
    @Argument(help: "The file of JSON lines; - for standard input.") var file: String = "-"

    func validate() throws {
        for (name, v) in [("--every", every), ("--repeat-every", repeatEvery)] {
            if let v, !(v.isFinite && v >= 0 && v <= 86_400) { throw ValidationError("\(name) must be from 0 to 86400 seconds") }
        }
        if repeatEvery != nil && file == "-" { throw ValidationError("--repeat-every needs a file, not standard input") }
    }

    func run() throws {
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let socket = try ctx.socket(.push)
        defer { socket.close() }
        // Give the last lines time to leave on exit.
        try socket.setLinger(2000)
        try curve.credentials()?.secure(socket)
        try socket.connect(ingest)
        let stop = StopFlag()
        stop.installSignalHandlers()
        repeat {
            let started = Date()
            var sent = 0
            for (n, raw) in try LineReader(path: file).enumerated() where !raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                if stop.isSet { return }
                if let every, sent > 0 { Thread.sleep(forTimeInterval: every) }
                _ = try socket.send(try stamped(raw, line: n + 1))
                sent += 1
            }
            guard let period = repeatEvery else { return }
            let wait = period - Date().timeIntervalSince(started)
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        } while !stop.isSet
    }

    /// The line with `t` set to now (unless `--keep-time`); a line that is not a JSON object is
    /// refused here, naming it, rather than sent to be rejected.
    private func stamped(_ raw: [UInt8], line: Int) throws -> [UInt8] {
        guard !keepTime else { return raw }
        guard case .object(var o) = try? JSONText.parse(raw) else {
            FileHandle.standardError.write(Data("cordon push: \(file) line \(line) is not a JSON object; nothing more sent\n".utf8))
            throw ExitCode(2)
        }
        o["t"] = .int(Int(Date().timeIntervalSince1970 * 1000))
        return JSONText.encodeBytes(.object(o))
    }
}
