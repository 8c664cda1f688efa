import CordonCore
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
import Testing

/// The benchmark's park (1,000 zones, 20,000 people, 200 vehicles, hazmat bookings), made by
/// `genpark.py` from the steering repository's `shared/bench` (read there, never copied in):
/// the prologue (every booking and gate entry), then 20,000 positions, then two minutes of
/// silence so that the timers (offline tags, overstays, lone work) fire too.
///
/// The engine is being rebuilt for speed; this is the line it must not cross. If the digest
/// has to change, the commit says which event changed and why it was wrong before.
struct GenparkWorkload {
    static var generator: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/bench/genpark.py")
    }

    static var available: Bool { FileManager.default.fileExists(atPath: generator.path) }

    let directory: URL

    /// Runs `genpark.py --positions 20000 --seed 1` into a fresh temporary folder.
    static func generate() throws -> GenparkWorkload {
        let dir = URL(fileURLWithPath: TestDirectory.make("digest"))
        try run("/usr/bin/env", ["python3", generator.path, "--positions", "20000", "--seed", "1", "--out", dir.path])
        return GenparkWorkload(directory: dir)
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// SHA-256 of a file, hex, by the system's `sha256sum`.
    static func sha256(_ url: URL) throws -> String {
        let out = try run("/usr/bin/sha256sum", [url.path])
        return String(out.prefix(64))
    }

    struct ToolFailed: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command) failed: \(output)" }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = try ChildProcess.run(tool, arguments, within: 600)
        guard p.status == .exited(0) else { throw ToolFailed(command: ([tool] + arguments).joined(separator: " "), output: p.text + p.errorText) }
        return p.text
    }
}

@Suite("Fast must not mean different: the benchmark's park replays to the same bytes")
struct ReplayDigestTests {
    /// What `genpark.py --positions 20000 --seed 1` writes with Python 3.11 (shared/bench/README.md).
    static let workloadDigests = [
        "positions.jsonl": "a193f8c50a58a32ecea08b17be6f2274108a6ac66d7dbcaecb25221bac84a1e7",
        "prologue.jsonl": "df834fcd0d2ef44e9761a11adb646825f11c36567720b237425a8860ea396f9b",
        "registry.json": "fefea9871a2af13b801d066e65b51e449fd399b827863fe4b0f2bd621692484a",
        "site.geojson": "9446c7841075fdbd4bda5fdd2da91932038c8767946469930be2de58f04d064c",
    ]

    /// `cordon replay --tail 120` of prologue + positions, as recorded before the hot-path work.
    static let outputDigest = "61e086794920d4c177653134d31638ac9331c7eb150a55d32c1be132156c9e67"
    /// Lines per topic of that output: when the digest differs, which family moved.
    static let outputTopics: [String: Int] = [
        "access.G1": 76, "access.G2": 54, "access.G3": 70, "access.G4": 20000, "cleared.untracked": 9905, "reply": 54,
        "violation.access-denied": 41, "violation.crowding": 4, "violation.lone-worker": 4, "violation.no-entry-record": 41,
        "violation.overcrowding": 27, "violation.restricted-zone": 433, "violation.tag-offline": 19959, "violation.untracked": 10043,
    ]

    @Test("prologue, 20,000 positions and two minutes of timers: the output's SHA-256 is the recorded one",
          .enabled(if: GenparkWorkload.available, "shared/bench/genpark.py is not beside this checkout"))
    func digest() throws {
        let w = try GenparkWorkload.generate()
        defer { w.remove() }
        for (name, sha) in Self.workloadDigests.sorted(by: { $0.key < $1.key }) {
            try #require(try GenparkWorkload.sha256(w.file(name)) == sha,
                         "genpark.py wrote a different \(name) (another Python?): the digest below would say nothing about the engine")
        }

        let site = try SiteFile.load(path: w.file("site.geojson").path)
        let doc = try JSONText.parse(try Data(contentsOf: w.file("registry.json")))
        var registry = Registry()
        for p in doc["people"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.person(p)) }
        for v in doc["vehicles"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.vehicle(v)) }

        var input: [[UInt8]] = []
        for name in ["prologue.jsonl", "positions.jsonl"] {
            input += try Data(contentsOf: w.file(name)).split(separator: 10).map(Array.init)
        }
        // On one thread as the tests' runner feeds it, and on three as `cordon replay` runs it.
        for staged in [false, true] {
            let output = w.file(staged ? "output-staged.jsonl" : "output.jsonl")
            try Data().write(to: output)
            let handle = try FileHandle(forWritingTo: output)
            var buffer: [UInt8] = []
            var topics: [String: Int] = [:]
            let runner = ReplayRunner(site: site, sitePath: w.file("site.geojson").path, registry: registry) { line in
                buffer += line.utf8
                buffer.append(10)
                topics[Self.topic(of: line), default: 0] += 1
                if buffer.count >= 1 << 16 {
                    handle.write(Data(buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            let summary = staged ? runner.runStaged(input: input, tailSeconds: 120) : runner.run(input: input, tailSeconds: 120)
            handle.write(Data(buffer))
            try handle.close()

            #expect(summary.lines == 40_254)
            let digest = try GenparkWorkload.sha256(output)
            let changed = Set(topics.keys).union(Self.outputTopics.keys).sorted()
                .filter { topics[$0] != Self.outputTopics[$0] }
                .map { "\($0): \(Self.outputTopics[$0] ?? 0) → \(topics[$0] ?? 0)" }
            #expect(digest == Self.outputDigest,
                    "\(staged ? "staged: " : "")the replay's output changed (lines per topic that differ: \(changed.isEmpty ? "none, so bodies or order" : changed.joined(separator: ", "))); all: \(topics.sorted { $0.key < $1.key })")
            // What the summary counts is what was written: the output thread's tally is added.
            #expect(summary.counters.published == topics.filter { $0.key != "reply" }.values.reduce(0, +))
        }
    }

    /// `{"topic":"zone.restricted",…}` → `zone.restricted`; a reply line → `reply`.
    static func topic(of line: String) -> String {
        guard line.hasPrefix("{\"topic\":\"") else { return "reply" }
        let rest = line.utf8.dropFirst(10)
        return String(decoding: rest.prefix { $0 != UInt8(ascii: "\"") }, as: UTF8.self)
    }
}
