import CordonCore
import Foundation
import CordonWire
import Testing

@testable import CordonService

@Suite("The live state's subject rows")
struct SnapshotRowTests {
    @Test("a row written by hand reads back with the snapshot's decoder, every member intact")
    func roundTrip() throws {
        let site = try SiteFile.load(path: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path)
        let e = Engine(site: site, registry: Registry(), start: Instant(milliseconds: 1_795_334_400_000))
        _ = e.control(["op": "registry.upsert", "people": [["id": "P\"1", "name": "引号", "tag": "T\"1"]]], at: Instant(milliseconds: 1_795_334_400_000))
        for m in [
            #"{"type":"position","tag":"T\"1","t":1795334400000,"x":60.25,"y":250,"battery_pct":55.5}"#,
            #"{"type":"position","tag":"T\"1","t":1795334401000,"x":60.25,"y":250}"#,
            #"{"type":"alert","tag":"T\"1","t":1795334402000,"kind":"fall"}"#,
            #"{"type":"position","plate":"鲁E12345","t":1795334400000,"x":200,"y":30,"speed_kmh":0}"#,
        ] {
            IngestDecoder().decode(Array(m.utf8)) { if case .message(let msg) = $0 { _ = e.handle(msg) } }
        }
        let subjects = e.snapshot().subjects
        #expect(subjects.count == 2)
        #expect(subjects.contains { $0.kind == "person" && !$0.stays.isEmpty && $0.battery == 55.5 })
        #expect(subjects.contains { $0.vehicle?.slowSince != nil })
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (s, (key, data)) in zip(subjects, try SnapshotCodec.rows(subjects)) {
            let back = try SnapshotCodec.decodeSubject(data, decoder)
            #expect(key == "\(s.kind):\(s.id)")
            // Through Foundation's coder both (it leaves out what restore recomputes).
            #expect(try encoder.encode(back) == encoder.encode(s), "\(String(decoding: data, as: UTF8.self))")
        }
    }
}
