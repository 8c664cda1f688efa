import CordonCore
import CordonService
import Foundation
import Testing

@Suite("Positioning quality in serve: reference tags survive a restart, report.positioning answers", .serialized)
struct PositioningServeTests {
    @Test("a reference tag is stored and restored; its fixes are no one; the report counts them")
    func referencesAndReport() throws {
        let data = ServiceHarness.temporaryDirectory()
        do {
            let h = try ServiceHarness(dataDirectory: data)
            let r = try h.request(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TREF1", "x": 180, "y": 150]]])
            #expect(r["ok"] == true && r["references"] == 1)
            h.shutdown()
        }
        let h = try ServiceHarness(dataDirectory: data)
        defer { h.shutdown() }
        #expect(try h.request(["op": "registry.get", "reference": "REF-1"])["reference"]?["tag"] == "TREF1", "kept across the restart")
        let t = nowMs()
        for k in 0..<5 {
            try h.send(#"{"type":"position","tag":"TREF1","t":\#(t + Int64(k) * 1000),"x":\#(180 + Double(k) * 0.1),"y":150,"accuracy_m":0.3}"#)
        }
        _ = try h.waitForCounters { $0["accepted"]?["position"]?.intValue == 5 }
        let alarms = try h.request(["op": "alarms.active"])
        #expect(alarms["count"] == 0, "a reference tag is not an unknown tag")
        let report = try #require(try h.request(["op": "report.positioning"])["report"])
        let wh = try #require(report["zones"]?.arrayValue?.first { $0["zone"] == "Z-WH-1" })
        #expect(wh["static_error_m"]?["fixes"] == 5)
        #expect(wh["static_error_m"]?["max"] == 0.4)
        #expect(try h.request(["op": "headcount", "zone": "Z-WH-1"])["zone"]?["count"] == 0, "and no one in the zone")
    }
}
