import Foundation
import FuzzSupport
import Testing

/// The fuzz harnesses' own code (FuzzTargets) over every seed in fuzz/corpus and every past
/// finding in fuzz/regressions, without libFuzzer: what a fuzzer once found stays found in
/// `make test`, and a seed that no longer runs cleanly shows up here first (docs/fuzzing.md).
///
/// A crash here stops the test run with the input's name on stderr, as the fuzzer would have.
// Serialized: the harnesses share one loaded Site, whose GEOS objects are for one thread at a time.
@Suite(.serialized) struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The seeds and past findings of one harness, in name order.
    static func inputs(_ harness: String) -> [URL] {
        ["fuzz/corpus", "fuzz/regressions"].flatMap { dir -> [URL] in
            let d = root.appendingPathComponent(dir).appendingPathComponent(harness)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { d.appendingPathComponent($0) }
        }
    }

    static func run(_ harness: String, _ body: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        let files = inputs(harness)
        for f in files {
            let data = try Data(contentsOf: f)
            FileHandle.standardError.write(Data("fuzz input \(harness)/\(f.lastPathComponent)\n".utf8))
            data.withUnsafeBytes(body)
        }
        return files.count
    }

    @Test("the control harness's op table is ControlOp's, and tools/make-fuzz-corpus.py writes seeds for the same")
    func opTableMatchesTheCorpusTool() throws {
        let tool = try String(contentsOf: Self.root.appendingPathComponent("tools/make-fuzz-corpus.py"), encoding: .utf8)
        let start = try #require(tool.range(of: "OPS = ["))
        let end = try #require(tool[start.upperBound...].range(of: "]"))
        let listed = tool[start.upperBound..<end.lowerBound].split(separator: "\"").enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(listed == FuzzTargets.ops)
    }

    @Test func ingestInputsRunCleanly() throws {
        #expect(try Self.run("ingest") { FuzzTargets.ingest($0, store: false) } > 100)
    }

    @Test func ingestInputsRunCleanlyWithAStore() throws {
        // The store's path (track history, stored violations) on the past findings and a sample of seeds.
        let sample = Self.inputs("ingest").enumerated().filter { $0.offset % 10 == 0 || $0.element.path.contains("regressions") }
        for (_, f) in sample {
            try Data(contentsOf: f).withUnsafeBytes { FuzzTargets.ingest($0, store: true) }
        }
        #expect(sample.count > 10)
    }

    @Test func controlInputsRunCleanly() throws {
        #expect(try Self.run("control") { FuzzTargets.control($0) } > 100)
    }

    @Test func siteInputsRunCleanly() throws {
        #expect(try Self.run("site") { FuzzTargets.site($0) } > 10)
    }
}
