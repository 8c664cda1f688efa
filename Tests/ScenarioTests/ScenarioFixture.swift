import CordonCore
import CordonService
import CordonWire
import Foundation

/// One folder of `fixtures/`: an incident's registry, input and expected output.
struct ScenarioFixture: CustomStringConvertible, Sendable {
    let name: String
    let directory: URL

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures")
    }

    /// Every fixture folder (those with an `input.jsonl`), by name.
    static func all() -> [ScenarioFixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let dir = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("input.jsonl").path) else { return nil }
            return ScenarioFixture(name: name, directory: dir)
        }
    }

    var description: String { name }

    var sitePath: String {
        let own = directory.appendingPathComponent("site.geojson").path
        return FileManager.default.fileExists(atPath: own) ? own : Self.root.appendingPathComponent("scenario-park.geojson").path
    }

    var tail: Double {
        let path = directory.appendingPathComponent("tail").path
        return (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// Topic prefixes left out of the comparison (`ignore`, one a line): e.g. the periodic
    /// `muster.progress`, which unit tests cover, in a fixture about who was found.
    var ignored: [String] {
        let path = directory.appendingPathComponent("ignore").path
        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func lines(_ file: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return data.split(separator: 10).map(Array.init).filter { !$0.isEmpty }
    }

    /// Replays the fixture through the engine exactly as `cordon replay` does.
    func replay() throws -> [String] {
        let site = try SiteFile.load(path: sitePath)
        var registry = Registry()
        let regPath = directory.appendingPathComponent("registry.json")
        if FileManager.default.fileExists(atPath: regPath.path) {
            let doc = try JSONText.parse(try Data(contentsOf: regPath))
            for p in doc["people"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.person(p)) }
            for v in doc["vehicles"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.vehicle(v)) }
        }
        var out: [String] = []
        let runner = ReplayRunner(site: site, sitePath: sitePath, registry: registry) { out.append($0) }
        _ = runner.run(input: try lines("input.jsonl"), tailSeconds: tail)
        let ignored = self.ignored
        return out.filter { line in !ignored.contains { line.hasPrefix("{\"topic\":\"\($0)") } }
    }
}

/// `expected` matches `actual` when every member it names is there with an equal value;
/// arrays must have the same length and match element by element.
func isSubset(_ expected: Value, of actual: Value) -> Bool {
    switch (expected, actual) {
    case (.object(let e), .object(let a)):
        return e.allSatisfy { key, value in a[key].map { isSubset(value, of: $0) } ?? false }
    case (.array(let e), .array(let a)):
        return e.count == a.count && zip(e, a).allSatisfy { isSubset($0, of: $1) }
    default:
        return expected == actual
    }
}
