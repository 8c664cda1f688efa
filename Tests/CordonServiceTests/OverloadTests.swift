import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// More than the engine can take: the RTLS engines of a whole park reconnecting at once, or a
/// misconfigured feed sending as fast as the network allows.
@Suite("overload: ingest beyond capacity, and a subscriber that reads nothing", .serialized)
struct OverloadTests {
    static func peak() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").filter { $0.hasPrefix("VmHWM") || $0.hasPrefix("VmRSS") }.joined(separator: ", ")
    }

    @Test("two senders flat out for three seconds: the service stays up, control answers, and every message it took is accounted for")
    func flood() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let people = 2000
        let crew: Value = ["op": "registry.upsert", "people": .array((0..<people).map { i in
            ["id": .string("W\(i)"), "name": .string("worker \(i)"), "tag": .string("TW\(i)")]
        })]
        #expect(try h.request(crew)["ok"] == true)
        let before = Self.peak()

        // Each sender owns half the tags, so per-subject order holds; they never wait for the service.
        let sent = Locked([0, 0]), refused = Locked([0, 0])
        let stop = Locked(false)
        let done = DispatchSemaphore(value: 0)
        let t0 = nowMs()
        for s in 0..<2 {
            Thread {
                defer { done.signal() }
                guard let ctx = try? ZMQContext(), let push = try? ctx.socket(.push) else { return }
                defer { push.close(); ctx.shutdown() }
                try? push.setLinger(5000)
                try? push.connect(h.service.boundIngest)
                var i = 0
                while !stop.withLock({ $0 }) {
                    let tag = s * people / 2 + i % (people / 2)
                    let msg = #"{"type":"position","tag":"TW\#(tag)","t":\#(t0 + Int64(i / (people / 2))),"x":\#(200 + Double(i % 100) * 2),"y":15}"#
                    if (try? push.send(msg, dontWait: true)) == true { sent.withLock { $0[s] += 1 } } else { refused.withLock { $0[s] += 1 } }
                    i += 1
                }
            }.start()
        }
        let console = try ControlClient(endpoint: h.service.boundControl, timeoutMilliseconds: 2000)
        var latencies: [Double] = []
        let end = Date().addingTimeInterval(3)
        while Date() < end {
            let start = Date()
            #expect(console.request(["op": "ping"])?["ok"] == true, "ping unanswered for 2 s under the flood")
            latencies.append(Date().timeIntervalSince(start))
            usleep(50_000)
        }
        stop.withLock { $0 = true }
        done.wait(); done.wait()
        let total = sent.withLock { $0[0] + $0[1] }
        // Every message ZeroMQ took from a sender comes out in the service's counters: none lost in between.
        var counters: Value = .null
        for _ in 0..<600 {
            counters = console.request(["op": "ping"])?["counters"] ?? .null
            let seen = (counters["accepted"]?["position"]?.intValue ?? 0) + (counters["late"]?.intValue ?? 0)
                + (counters["stale"]?.intValue ?? 0) + ((counters["rejected"]?.objectValue ?? [:]).values.compactMap(\.intValue).reduce(0, +))
            if seen >= total { break }
            usleep(50_000)
        }
        let accepted = counters["accepted"]?["position"]?.intValue ?? 0
        #expect(accepted + (counters["late"]?.intValue ?? 0) == total, "sent \(total), counters \(counters)")
        #expect(counters["dropped"] == 0)
        latencies.sort()
        let p90 = latencies[min(latencies.count - 1, latencies.count * 9 / 10)]
        #expect(p90 < 0.1, "ping p90 \(Int(p90 * 1000)) ms under the flood")
        print("overload: \(total) sent (\(refused.withLock { $0[0] + $0[1] }) sends refused at the senders' high-water mark), \(accepted) accepted; ping p90 \(Int(p90 * 1000)) ms, worst \(Int((latencies.last ?? 0) * 1000)) ms; memory before \(before); after \(Self.peak())")
    }

    @Test("a subscriber that reads nothing slows neither the engine nor the subscriber that reads")
    func stalledSubscriber() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let people = 100
        // Contractors without the hot-work qualification: each step in or out of the tank farm
        // raises or clears a restricted-zone alarm, so the events come thick.
        let crew: Value = ["op": "registry.upsert", "people": .array((0..<people).map { i in
            ["id": .string("C\(i)"), "name": .string("contractor \(i)"), "tag": .string("TC\(i)")]
        })]
        #expect(try h.request(crew)["ok"] == true)
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let stalled = try ctx.socket(.sub)
        defer { stalled.close() }
        try stalled.setReceiveHighWaterMark(10)
        try stalled.subscribe("")
        try stalled.connect(h.service.boundEvents)
        let reader = try ctx.socket(.sub)
        defer { reader.close() }
        try reader.setReceiveHighWaterMark(1_000_000)
        try reader.setReceiveTimeout(3000)
        try reader.subscribe("violation.restricted-zone")
        try reader.subscribe("cleared.restricted-zone")
        try reader.connect(h.service.boundEvents)
        usleep(300_000)
        let rounds = 60
        let t0 = nowMs() - 10_000
        for r in 0..<rounds {
            let inside = r % 2 == 0
            let frame = (0..<people).map { i in
                #"{"type":"position","tag":"TC\#(i)","t":\#(t0 + Int64(r) * 50),"x":\#(inside ? 60 : 60),"y":\#(inside ? 250 : 180)}"#
            }
            try h.send("[" + frame.joined(separator: ",") + "]")
        }
        // Events are published once stored, a moment after the engine took their positions.
        let counters = try h.waitForCounters(timeoutS: 60) {
            $0["accepted"]?["position"]?.intValue == people * rounds && ($0["published"]?.intValue ?? 0) >= people * rounds
        }
        #expect(counters["accepted"]?["position"]?.intValue == people * rounds, "the engine kept up despite the stalled subscriber")
        var received = 0
        while try reader.receiveMessage() != nil { received += 1; if received == people * rounds { break } }
        #expect(received == people * rounds, "the reading subscriber got every raise and clear")
        #expect((counters["published"]?.intValue ?? 0) >= people * rounds)
    }
}
