import CordonCore
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
import Testing

/// `cordon replay` as a person runs it: a file (or standard input) read line by line in place.
@Suite("cordon replay reads its input as the file has it: CRLF, blank lines, no final newline, standard input")
struct ReplayCommandTests {
    /// - Parameter addressSpaceKiB: run under `ulimit -v` of that many KiB (what memory may grow to).
    private func run(_ arguments: [String], stdin: Data? = nil, addressSpaceKiB: Int? = nil) throws -> (out: String, err: String, status: Int32) {
        let binary = try #require(ServeProcess.binary)
        let p: ChildProcess.Finished
        if let addressSpaceKiB {
            p = try ChildProcess.run("/bin/sh", ["-c", "ulimit -v \(addressSpaceKiB) && exec \"$0\" \"$@\"", binary, "replay"] + arguments,
                                     input: stdin, within: 300)
        } else {
            p = try ChildProcess.run(binary, ["replay"] + arguments, input: stdin, within: 300)
        }
        return (p.text, p.errorText, p.status.code)
    }

    @Test("the same events from the file as written, from a CRLF copy with blank lines and no final newline, and from standard input")
    func sameEventsHoweverTheLinesEnd() throws {
        let fixture = ServiceHarness.fixturesRoot.appendingPathComponent("contractor-in-tank-farm")
        let site = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        let input = try String(contentsOf: fixture.appendingPathComponent("input.jsonl"), encoding: .utf8)
        let registry = fixture.appendingPathComponent("registry.json").path
        var args = ["--site", site]
        if FileManager.default.fileExists(atPath: registry) { args += ["--registry", registry] }

        let plain = try run(args + [fixture.appendingPathComponent("input.jsonl").path])
        #expect(plain.status == 0, "\(plain.err)")
        #expect(plain.out.contains("violation.restricted-zone"), "the fixture's incident: \(plain.out)")

        let dir = URL(fileURLWithPath: TestDirectory.make("replay"))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = input.split(separator: "\n", omittingEmptySubsequences: true)
        // CRLF line ends, a blank CRLF line between each two, and no newline after the last.
        let crlf = lines.joined(separator: "\r\n\r\n")
        let crlfPath = dir.appendingPathComponent("crlf.jsonl").path
        try Data(crlf.utf8).write(to: URL(fileURLWithPath: crlfPath))
        let windows = try run(args + [crlfPath])
        #expect(windows.status == 0, "\(windows.err)")
        #expect(windows.out == plain.out)
        #expect(windows.err.contains("\(lines.count * 2 - 1) lines"), "blank lines are read and skipped: \(windows.err)")

        let piped = try run(args + ["-"], stdin: Data(input.utf8))
        #expect(piped.out == plain.out)
    }

    @Test("a line of 256 MiB is refused as too-large, cut as it is read (replay stays within 450 MB), and the lines after it are replayed as before; so is one at the end with no newline")
    func overlongLines() throws {
        let fixture = ServiceHarness.fixturesRoot.appendingPathComponent("contractor-in-tank-farm")
        let site = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        let input = try Data(contentsOf: fixture.appendingPathComponent("input.jsonl"))
        let args = ["--site", site, "--registry", fixture.appendingPathComponent("registry.json").path]
        let plain = try run(args + [fixture.appendingPathComponent("input.jsonl").path])

        let dir = URL(fileURLWithPath: TestDirectory.make("replay"))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A position whose member is 256 MiB of digits, first; then the incident; then 3 MiB with
        // no newline. Held whole, the first line alone would take the reader past the limit.
        let huge = Data(#"{"type":"position","tag":"T1","t":1,"x":"#.utf8) + Data(repeating: 0x31, count: 256 << 20)
        var file = huge + Data([10]) + input
        if file.last != 10 { file.append(10) }
        file += Data(repeating: 0x61, count: 3 << 20)
        let path = dir.appendingPathComponent("long.jsonl").path
        try file.write(to: URL(fileURLWithPath: path))
        let long = try run(args + [path], addressSpaceKiB: 450_000)
        #expect(long.status == 0, "\(long.err)")
        #expect(long.out == plain.out, "the incident replays as it does alone")
        #expect(long.err.contains("too-large 2"), "both long lines are refused as too large: \(long.err)")
    }
}
