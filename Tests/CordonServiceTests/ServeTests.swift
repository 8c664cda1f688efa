import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// Event time now: in `serve` the clock is the wall clock, so inputs carry current times.
func nowMs() -> Int64 { WallClock.now().milliseconds }

@Suite("cordon serve over real tcp loopback sockets and a real SQLite store", .serialized)
struct ServeTests {
    @Test("a contractor's position into the tank farm comes out as a violation on SUB; headcount sees him")
    func endToEnd() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        // He came in through the staff gate, as everyone on site does (else: no-entry-record).
        try h.send(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 60_000),"direction":"in","person":"P0042","tag":"T1042"}"#)
        #expect(try #require(try h.nextEvent()).topic == "access.G3")
        try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs()),"x":60,"y":250}"#)
        let event = try #require(try h.nextEvent())
        #expect(event.topic == "violation.restricted-zone")
        #expect(event.body["subject"]?["id"] == "P0042" && event.body["zone"]?["id"] == "Z-TANK-1")
        #expect(event.body["site"] == "scenario-park")
        let head = try h.request(["op": "headcount", "zone": "Z-TANK-1"])
        #expect(head["ok"] == true && head["zone"]?["count"] == 1)
        let active = try h.request(["op": "alarms.active"])
        #expect(active["alarms"]?.arrayValue?.first?["id"] == event.body["id"])
        let ping = try h.request(["op": "ping"])
        #expect(ping["counters"]?["accepted"]?["position"] == 1 && ping["counters"]?["published"] == 2)
        #expect(ping["version"] != nil && ping["uptime_s"] != nil)
    }

    @Test("bad input is counted and kept as a dead letter, and the service goes on")
    func badInput() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let bad = [
            "{not json", #"{"type":"position","tag":"T1","t":"yesterday","x":1,"y":2}"#,
            #"{"type":"position","tag":"T1","t":1795305600000,"x":"one","y":2}"#,
            #"{"type":"position","tag":"T1","t":1795305600000,"x":1e999,"y":2}"#,
            #"{"type":"gate","gate":"G99","t":1795305600000,"direction":"in","person":"P1"}"#,
            #"{"type":"heartbeat","t":1795305600000}"#,
            #"{"type":"position","tag":"T1","t":1795305600000,"x":90000,"y":2}"#,
            String(repeating: "x", count: 2 << 20),
        ]
        for b in bad { try h.send(b) }
        try h.send(#"{"type":"position","tag":"T1001","t":\#(nowMs()),"x":60,"y":250}"#)
        let counters = try h.waitForCounters { ($0["accepted"]?["position"]?.intValue ?? 0) >= 1 }
        let rejected = counters["rejected"]?.objectValue ?? [:]
        #expect(rejected.values.compactMap(\.intValue).reduce(0, +) == 8)
        #expect(rejected["malformed-json"] == 1 && rejected["unknown-gate"] == 1 && rejected["out-of-bounds"] == 1)
        #expect(rejected["too-large"] == 1 && rejected["non-finite"] == 1 && rejected["unknown-type"] == 1)
        #expect(try h.request(["op": "ping"])["ok"] == true)
    }

    @Test("track returns a subject's thinned positions from the store")
    func track() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        _ = try h.request(registry)
        let t0 = nowMs()
        try h.send(#"[{"type":"position","tag":"T1001","t":\#(t0),"x":200,"y":200,"moving":true},{"type":"position","tag":"T1001","t":\#(t0 + 1),"x":201,"y":200,"moving":true},{"type":"position","tag":"T1001","t":\#(t0 + 2),"x":230,"y":200,"moving":true}]"#)
        _ = try h.waitForCounters { $0["accepted"]?["position"] == 3 }
        let r = try h.request(["op": "track", "person": "P0001"])
        #expect(r["count"] == 2, "the 1 m step is thinned away")
        #expect(r["positions"]?.arrayValue?.last?["x"] == 230)
        #expect(r["positions"]?.arrayValue?.first?["lon"]?.numberValue.map { $0 > 118 } == true)
    }

    @Test("a message from a source whose clock is hours ahead is refused, and the clock does not move")
    func futureTime() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        try h.send(#"{"type":"position","tag":"T1002","t":\#(nowMs()),"x":60,"y":240}"#)
        _ = try h.waitForCounters { $0["accepted"]?["position"] == 1 }
        try h.send(#"{"type":"position","tag":"T1001","t":\#(nowMs() + 3_600_000),"x":60,"y":250}"#)
        let counters = try h.waitForCounters { $0["rejected"]?["future-time"] == 1 }
        #expect(counters["accepted"]?["position"] == 1)
        // The engine's clock is what whereis measures a position's age against: an hour ahead, it would say 3,600 s.
        let age = try h.request(["op": "whereis", "tag": "T1002"])["age_s"]?.numberValue
        #expect(age.map { $0 >= 0 && $0 < 60 } == true, "T1002's position is \(age ?? -1) s old by the engine's clock")
    }

    @Test("site.reload with a broken file keeps the old site and says why")
    func reloadBad() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let path = dir + "/site.geojson"
        try FileManager.default.copyItem(atPath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path, toPath: path)
        let h = try ServiceHarness(sitePath: path)
        defer { h.shutdown() }
        try Data("{\"type\":\"FeatureCollection\",\"features\":[]}".utf8).write(to: URL(fileURLWithPath: path))
        let reply = try h.request(["op": "site.reload"])
        #expect(reply["ok"] == false && reply["error"]?["code"] == "invalid-site")
        #expect(try h.request(["op": "site.get"])["site"]?["cordon"]?["site"] == "scenario-park")
    }

    @Test("malformed control requests get an error reply, never silence")
    func controlErrors() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(["op": "no.such.op"])["error"]?["code"] == "unknown-op")
        #expect(try h.request(["nothing": 1])["ok"] == false)
    }

    @Test("a raised violation survives a restart: still active, same id, not raised again")
    func restart() throws {
        let data = ServiceHarness.temporaryDirectory()
        var id: Value?
        do {
            let h = try ServiceHarness(dataDirectory: data)
            _ = try h.request(registry)
            try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs()),"x":60,"y":250}"#)
            id = try #require(try h.nextEvent()).body["id"]
            h.shutdown()
        }
        let h = try ServiceHarness(dataDirectory: data)
        defer { h.shutdown() }
        let active = try h.request(["op": "alarms.active"])
        #expect(active["alarms"]?.arrayValue?.first?["id"] == id)
        #expect(try h.request(["op": "registry.get", "person": "P0042"])["ok"] == true, "the registry is kept too")
        try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs()),"x":61,"y":250}"#)
        try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs() + 1),"x":300,"y":250}"#)
        let next = try #require(try h.nextEvent())
        #expect(next.topic == "cleared.restricted-zone" && next.body["id"] == id)
    }
}
