import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation

/// `cordon replay`: the engine over a file (docs/protocol.md, "Replay").
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay ingest messages and timed control requests through the engine; print what it publishes.")

    @Option(help: "The site file.") var site: String
    @Option(help: "A registry file {\"people\":[…],\"vehicles\":[…]}, loaded first.") var registry: String?
    @Option(help: "Seconds to advance the clock after the last line, so late timers fire.") var tail: Double = 0
    @Argument(help: "Input: one JSON object per line (- for standard input).") var input: String

    func run() throws {
        let loaded: Site
        do {
            loaded = try SiteFile.load(path: site)
        } catch {
            FileHandle.standardError.write(Data("cordon replay: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var reg: Registry?
        if let registry {
            do {
                reg = try RegistryFile.load(path: registry)
            } catch {
                FileHandle.standardError.write(Data("cordon replay: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        var reader: LineReader
        do {
            reader = try LineReader(path: input)
        } catch {
            FileHandle.standardError.write(Data("cordon replay: cannot read \(input): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let out = OutputBuffer()
        let runner = ReplayRunner(site: loaded, sitePath: site, registry: reg, writeBytes: { out.write($0) })
        guard tail >= 0, tail.isFinite else {
            FileHandle.standardError.write(Data("cordon replay: --tail must be a number of seconds ≥ 0\n".utf8))
            throw ExitCode(2)
        }
        let start = Date()
        let summary = runner.runStaged(lines: { reader.forEachLine($0) }, tailSeconds: tail)
        out.flush()
        let secs = Date().timeIntervalSince(start)
        let c = summary.counters
        let accepted = c.accepted.values.reduce(0, +)
        var report = "cordon replay: \(summary.lines) lines, \(accepted) accepted, \(c.rejectedTotal) rejected, \(c.late) late, \(c.published) published"
        if c.rejectedTotal > 0 {
            report += " (rejected: " + c.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        report += String(format: "; %.2f s, %.0f lines/s\n", secs, Double(summary.lines) / max(secs, 1e-9))
        FileHandle.standardError.write(Data(report.utf8))
    }
}

/// Buffers standard output: replay can print millions of lines.
final class OutputBuffer {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
