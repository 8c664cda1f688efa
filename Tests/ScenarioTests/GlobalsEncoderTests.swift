@testable import CordonCore
@testable import CordonService
import CordonWire
import Foundation
import Testing

/// The live state's globals are re-encoded member by member, only what changed
/// (Journal/GlobalsEncoder.swift): through every incident of `fixtures/`, after every line that
/// changes them, what one encoder writes must read back as the engine's state, as `JSONEncoder`'s whole did.
@Suite("The live state's globals, encoded only where they changed, read back whole")
struct GlobalsEncoderTests {
    @Test("the encoder names every member of the snapshot")
    func everyMember() throws {
        let site = try SiteFile.load(path: ScenarioFixture.root.appendingPathComponent("scenario-park.geojson").path)
        let snapshot = Engine(site: site, registry: Registry()).snapshot()
        let labels = Mirror(reflecting: snapshot).children.compactMap(\.label).sorted()
        #expect(labels == GlobalsEncoder.members.sorted())
    }

    @Test("after every line of every fixture that changes them the text reads back as the engine's globals", arguments: ScenarioFixture.all())
    func everyLine(_ fixture: ScenarioFixture) throws {
        let site = try SiteFile.load(path: fixture.sitePath)
        var registry = Registry()
        let regPath = fixture.directory.appendingPathComponent("registry.json")
        if FileManager.default.fileExists(atPath: regPath.path) {
            let doc = try JSONText.parse(try Data(contentsOf: regPath))
            for p in doc["people"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.person(p)) }
            for v in doc["vehicles"]?.arrayValue ?? [] { registry.upsert(try RegistryRecords.vehicle(v)) }
        }
        let runner = ReplayRunner(site: site, sitePath: fixture.sitePath, registry: registry) { (_: String) in }
        let encoder = GlobalsEncoder()
        var changes = 0
        var previous: EngineSnapshot?
        for line in try fixture.lines("input.jsonl") {
            runner.feed(line: line)
            let globals = runner.engine.snapshot(withSubjects: false)
            // As the journal does: globals are handed out (and encoded) when they changed, not
            // because the clock moved.
            var still = globals
            still.now = previous?.now ?? still.now
            guard still != previous else { continue }
            previous = globals
            changes += 1
            let text = try encoder.encode(globals)
            #expect(try SnapshotCodec.decode(text) == globals, "\(fixture): after \(String(decoding: line, as: UTF8.self))")
            #expect(try SnapshotCodec.decode(SnapshotCodec.encode(globals)) == globals)
        }
        #expect(changes > 0)
    }
}
