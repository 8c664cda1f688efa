import CordonCore
import CordonService
import CordonStore
import CordonWire
import Foundation
import Testing

@Suite("Mustering through cordon serve", .serialized)
struct MusterServeTests {
    static let people: Value = [
        "op": "registry.upsert",
        "people": [
            ["id": "P1", "name": "甲", "enterprise": "E01", "tag": "T1"],
            ["id": "P2", "name": "乙", "enterprise": "E01", "tag": "T2"],
        ],
    ]

    @Test("the service restarts in the middle of a muster and finishes it with the right report")
    func restartMidMuster() throws {
        let data = ServiceHarness.temporaryDirectory()
        let t0 = nowMs()
        var musterID: Value?
        do {
            let h = try ServiceHarness(dataDirectory: data)
            _ = try h.request(Self.people)
            try h.send(#"[{"type":"position","tag":"T1","t":\#(t0),"x":200,"y":250,"moving":true},{"type":"position","tag":"T2","t":\#(t0),"x":210,"y":250,"moving":true}]"#)
            _ = try h.waitForCounters { $0["accepted"]?["position"] == 2 }
            let started = try h.request(["op": "muster.start", "mode": "drill", "by": "commander"])
            #expect(started["muster"]?["total"] == 2)
            musterID = started["muster"]?["id"]
            // P1 reaches M1 and stands there past the 10 s dwell (positions carry their own time).
            try h.send(#"{"type":"position","tag":"T1","t":\#(t0 + 1000),"x":50,"y":360,"moving":true}"#)
            try h.send(#"{"type":"position","tag":"T1","t":\#(t0 + 12000),"x":51,"y":361,"moving":true}"#)
            let status = try h.waitForMuster { $0["accounted"] == 1 }
            #expect(status["missing_people"]?.arrayValue?.first?["id"] == "P2")
            h.shutdown()
        }
        let h = try ServiceHarness(dataDirectory: data)
        defer { h.shutdown() }
        let resumed = try h.request(["op": "muster.status"])
        #expect(resumed["muster"]?["id"] == musterID && resumed["muster"]?["accounted"] == 1 && resumed["muster"]?["total"] == 2)
        let marked = try h.request(["op": "muster.mark", "person": "P2", "by": "gate guard", "note": "left by ambulance"])
        #expect(marked["ok"] == true)
        let end = try h.request(["op": "muster.end", "by": "commander"])
        let report = try #require(end["report"])
        #expect(report["accounted"] == 2 && report["missing"] == 0 && report["started_by"] == "commander")
        #expect(report["accounted_people"]?.arrayValue?.map { $0["id"] } == ["P1", "P2"])
        h.shutdown()

        // The report is kept, and `cordon muster report` reads it back from the store.
        let store = try Store(directory: data)
        defer { try? store.close() }
        let id = try #require(musterID?.stringValue)
        let kept = try #require(try store.loadState(key: Pipeline.musterReportKey(id)))
        #expect(try JSONText.parse(kept)["accounted"] == 2)
    }
}

extension ServiceHarness {
    /// Polls `muster.status` until `condition` holds on the running muster.
    func waitForMuster(_ condition: (Value) -> Bool) throws -> Value {
        for _ in 0..<100 {
            if let m = try request(["op": "muster.status"])["muster"], condition(m) { return m }
            usleep(30_000)
        }
        throw HarnessError.timeout
    }
}

@Suite("The muster report as CSV")
struct MusterCSVTests {
    @Test("one row per person, accounted and missing, with quoting where a field needs it")
    func csv() throws {
        let report: Value = [
            "accounted_people": [["id": "P1", "name": "甲", "enterprise": "E01", "at": "2026-11-22T01:02:03.000Z", "point": "M1",
                                  "late_entry": false],
                                 ["id": "P2", "name": "乙", "marked_by": "gate guard", "note": "left by ambulance, with escort",
                                  "at": "2026-11-22T01:03:00.000Z", "late_entry": true]],
            "missing_people": [["id": "P3", "name": "丙", "enterprise": "E01", "last_seen_at": "2026-11-22T00:59:30.000Z",
                                "zone": ["id": "Z-TANK-1"], "last_position": ["x": 60, "y": 250.5], "level": 0, "late_entry": false]],
        ]
        let rows = MusterCSV.render(report).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 4)
        #expect(rows[0] == MusterCSV.header.joined(separator: ","))
        #expect(rows[1].hasPrefix("P1,甲,E01,accounted,2026-11-22T01:02:03.000Z,M1,"))
        #expect(rows[2].contains("\"left by ambulance, with escort\""))
        #expect(rows[3] == "P3,丙,E01,missing,,,,,false,2026-11-22T00:59:30.000Z,Z-TANK-1,60,250.5,0")
    }
}
