import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// An RTLS engine that lost its link overnight reconnects and flushes what it buffered: a day
/// of positions, all at once. docs/protocol.md, "Time": they go into the track history and are
/// counted as stale, and they raise, clear and reset nothing.
@Suite("stale positions: a reconnecting feed's backlog is history, not the present", .serialized)
struct StaleInputTests {
    @Test("a day-old backlog of 100,000 positions raises nothing, ping answers within 100 ms, and the track has them")
    func dayOldBacklog() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        // A contractor without a permit: had this backlog been live, he would be in the tank farm.
        try h.send(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 5_000),"direction":"in","person":"P0042","tag":"T1042"}"#)
        #expect(try #require(try h.nextEvent()).topic == "access.G3")

        let tags = ["T1042"] + (1..<100).map { "T9\(String(format: "%03d", $0))" }
        let dayAgo = nowMs() - 86_400_000
        let steps = 1000
        let frames: [String] = (0..<steps).map { i in
            // Zig-zag inside Z-TANK-1, six metres a step: the thinner keeps every point.
            let x = 30 + Double(i * 6 % 96), y = 230 + Double(i / 16 % 6) * 10
            return "[" + tags.map { #"{"type":"position","tag":"\#($0)","t":\#(dayAgo + Int64(i) * 1000),"x":\#(x),"y":\#(y)}"# }
                .joined(separator: ",") + "]"
        }
        let sender = Thread {
            for f in frames { _ = try? h.push.send(f) }
        }
        sender.start()

        // While the backlog pours in, the control socket keeps answering (one connected client,
        // as a console keeps: the round trip is the service's, not a new connection's).
        let console = try ControlClient(endpoint: h.service.boundControl, timeoutMilliseconds: 1000)
        var latencies: [Double] = []
        var counters: Value = .null
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let start = Date()
            let ping = try #require(console.request(["op": "ping"]), "ping went unanswered for a second during the flood")
            latencies.append(Date().timeIntervalSince(start))
            counters = ping["counters"] ?? .null
            if counters["stale"]?.intValue == tags.count * steps { break }
            usleep(20_000)
        }
        #expect(counters["stale"]?.intValue == tags.count * steps)
        #expect(counters["accepted"]?["position"] == 0)
        // Every ping was answered within the client's second; nine in ten within 100 ms. The
        // worst single one is not asserted: on a shared 2-core CI machine, the scheduler alone
        // can hold a thread that long.
        latencies.sort()
        let p90 = latencies[min(latencies.count - 1, latencies.count * 9 / 10)]
        #expect(latencies.count >= 3)
        #expect(p90 < 0.1, "ping p90 \(Int(p90 * 1000)) ms (worst \(Int((latencies.last ?? 0) * 1000)) ms) over \(latencies.count) requests")

        // Nothing was raised or cleared: no restricted-zone for P0042, no unknown-tag for 99 strangers.
        try h.sub.setReceiveTimeout(300)
        let stray = try h.nextEvent()
        #expect(stray == nil, "published during the backlog: \(stray?.topic ?? "")")
        #expect(try h.request(["op": "alarms.active"])["alarms"]?.arrayValue?.isEmpty == true)
        #expect(try h.request(["op": "headcount", "zone": "Z-TANK-1"])["zone"]?["count"] == 0)

        // The history has them: every one of P0042's positions of that day.
        let track = try h.request(["op": "track", "person": "P0042", "from": .number(Double(dayAgo - 1)),
                                   "until": .number(Double(dayAgo + Int64(steps) * 1000))], timeoutMs: 30_000)
        #expect(track["count"]?.intValue == steps)
        #expect(track["positions"]?.arrayValue?.first?["zone"] == "Z-TANK-1")
    }

    @Test("alerts and gate passages are taken whatever their age")
    func oldAlertsAndPassages() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        let hourAgo = nowMs() - 3_600_000
        // One frame: the clock's next tick raises `untracked` for an entry an hour old (no
        // position since), and must not come between the two.
        try h.send(#"[{"type":"gate","gate":"G3","t":\#(hourAgo),"direction":"in","person":"P0001","tag":"T1001"},{"type":"alert","tag":"T1001","t":\#(hourAgo + 1000),"alert":"sos"}]"#)
        #expect(try #require(try h.nextEvent()).topic == "access.G3")
        let sos = try #require(try h.nextEvent())
        #expect(sos.topic == "violation.sos")
        let c = try h.waitForCounters { $0["accepted"]?["alert"] == 1 }
        #expect(c["stale"] == 0 && c["accepted"]?["gate"] == 1)
    }
}
