import CordonCore
import Foundation
import CordonWire
import Testing

@testable import CordonService
import CordonTestSupport

@Suite("The live state's subject rows")
struct SnapshotRowTests {
    @Test("a binary row reads back with every member intact: a person in a zone, a fall pending, a vehicle stopped")
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
        for (s, (key, data)) in zip(subjects, SnapshotCodec.rows(subjects)) {
            #expect(data.first == SnapshotCodec.rowFormat, "binary, not JSON")
            let back = try SnapshotCodec.decodeSubject(data, decoder)
            #expect(key == "\(s.kind):\(s.id)")
            // Through Foundation's coder both (it leaves out what restore recomputes).
            #expect(try encoder.encode(back) == encoder.encode(s))
            // Rows stored before the binary form (JSON) are still read the same.
            #expect(try encoder.encode(SnapshotCodec.decodeSubject(encoder.encode(s), decoder)) == encoder.encode(s))
        }
    }

    @Test("a row cut short, with bytes after its end, or of an unknown format is refused, never half read")
    func corruptRows() throws {
        let site = try SiteFile.load(path: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path)
        let e = Engine(site: site, registry: Registry(), start: Instant(milliseconds: 1_795_334_400_000))
        IngestDecoder().decode(Array(#"{"type":"position","plate":"鲁E12345","t":1795334400000,"x":200,"y":30,"speed_kmh":0}"#.utf8)) {
            if case .message(let msg) = $0 { _ = e.handle(msg) }
        }
        let row = try #require(SnapshotCodec.rows(e.snapshot().subjects).first?.data)
        let decoder = JSONDecoder()
        for cut in [1, 5, row.count / 2, row.count - 1] {
            #expect(throws: StoredBytesError.self, "cut at \(cut)") { try SnapshotCodec.decodeSubject(row.prefix(cut), decoder) }
        }
        #expect(throws: StoredBytesError.self) { try SnapshotCodec.decodeSubject(row + Data([0]), decoder) }
        var foreign = row
        foreign[0] = 0xC7
        #expect(throws: StoredBytesError.self) { try SnapshotCodec.decodeSubject(foreign, decoder) }
    }
}

@Suite("Where moving subjects were last seen: the movements blob")
struct SubjectMovementsTests {
    /// A person's row as the journal stores it (the snapshot's members have no public initialiser).
    static func subject(_ id: String, last: Int64, x: Double, battery: Double? = nil) throws -> EngineSnapshot.Subject {
        var row: [String: Value] = [
            "kind": "person", "id": .string(id), "lastTime": .number(Double(last)), "lastPositionTime": .number(Double(last)),
            "x": .number(x), "y": -3.5, "level": 2, "tag": .string("T-\(id)"), "stays": [],
        ]
        if let battery { row["battery"] = .number(battery) }
        return try JSONDecoder().decode(EngineSnapshot.Subject.self, from: Data(JSONText.encode(.object(row)).utf8))
    }

    /// A periodic drain's movement of person `id`, merged under the key the store uses.
    static func merge(_ m: inout SubjectMovements, _ id: String, last: Int64, x: Double, battery: Double? = nil) {
        m.merge(.init(slot: 0, lastTime: Instant(milliseconds: last), lastPositionTime: Instant(milliseconds: last),
                      x: x, y: -3.5, level: 2, battery: battery), key: "person:\(id)")
    }

    @Test("what is written reads back the same, names in any script, a missing battery still missing")
    func roundTrip() throws {
        var m = SubjectMovements()
        Self.merge(&m, "P0042", last: 1_795_334_400_123, x: 12.25, battery: 71)
        Self.merge(&m, "张三", last: 1_795_334_401_000, x: -0.5)
        let back = try SubjectMovements(decoding: m.encoded())
        #expect(back == m)
    }

    @Test("an entry is laid over a subject's row only when it is newer than the row")
    func newerWins() throws {
        var m = SubjectMovements()
        Self.merge(&m, "P1", last: 2_000, x: 50)
        var older = try Self.subject("P1", last: 1_000, x: 10)
        m.apply(to: &older)
        #expect(older.x == 50 && older.lastTime == Instant(milliseconds: 2_000))
        var newer = try Self.subject("P1", last: 3_000, x: 10)
        m.apply(to: &newer)
        #expect(newer.x == 10 && newer.lastTime == Instant(milliseconds: 3_000), "a row stored by a later frame wins")
    }

    @Test("a truncated or foreign blob is refused with a reason, not read as garbage")
    func corrupt() throws {
        var m = SubjectMovements()
        Self.merge(&m, "P1", last: 2_000, x: 50)
        let whole = m.encoded()
        #expect(throws: StoredBytesError.self) { try SubjectMovements(decoding: whole.prefix(whole.count - 3)) }
        #expect(throws: StoredBytesError.self) { try SubjectMovements(decoding: Data("{\"json\":1}".utf8)) }
        // A count far beyond what the bytes can hold is not trusted to size anything.
        var huge = Data("CMV1".utf8)
        huge += Data([0xff, 0xff, 0xff, 0x7f])
        #expect(throws: StoredBytesError.self) { try SubjectMovements(decoding: huge) }
    }
}
