import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing

/// `cordon replay` as a person runs it: a file (or standard input) read line by line in place.
@Suite("cordon replay reads its input as the file has it: CRLF, blank lines, no final newline, standard input")
struct ReplayCommandTests {
    private func run(_ arguments: [String], stdin: Data? = nil) throws -> (out: String, err: String, status: Int32) {
        let binary = try #require(ServeProcess.binary)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["replay"] + arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus)
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

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-replay-\(UUID().uuidString)")
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
}
