import CordonCore
import CordonTestSupport
import CordonWire
import Foundation
import Testing

/// `/metrics` read by the prometheus-client package's own parser: the names of
/// docs/protocol.md, "HTTP", with the numbers `ping` gives.
@Suite(.serialized) struct MetricsTests {
    static func parse(_ text: Data) throws -> Value {
        let p = try ChildProcess.run("/usr/bin/env", ["python3", ConsoleHarness.root.appendingPathComponent("Tests/CordonHTTPTests/parse_metrics.py").path],
                                     input: text, within: 60)
        guard p.status == .exited(0) else {
            throw HarnessFailure("parse_metrics.py ended with \(p.status): \(p.errorText)")
        }
        let out = p.output
        return try JSONText.parse(Array(out))
    }

    @Test func metricsMatchPing() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        try h.send([
            ["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"],
            ["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)],
            ["type": "position", "tag": "T2101", "x": 10, "y": 10],
            ["type": "position", "tag": "T1001", "x": 1e9, "y": 0],
            ["type": "bogus"],
        ])
        let settled = try await h.eventually(5) {
            let c = try h.zmqControl(["op": "ping"])["counters"]
            return c?["accepted"]?["position"]?.intValue == 2 && (c?["rejected"]?.objectValue?.count ?? 0) >= 2
        }
        #expect(settled)
        let scrape = try await h.http("GET", "/metrics")
        #expect(scrape.status == 200)
        let parsed = try Self.parse(scrape.body)
        let ping = try h.zmqControl(["op": "ping"])
        let c = ping["counters"] ?? .null
        let s = parsed["samples"] ?? .null
        func sample(_ k: String) -> Double? { s[k]?.numberValue }
        // prometheus-client names a counter's sample NAME_total and its family NAME.
        #expect(parsed["types"]?["cordon_ingest_messages"]?.stringValue == "counter")
        #expect(sample("cordon_ingest_messages_total{result=accepted,type=position}") == c["accepted"]?["position"]?.numberValue)
        #expect(sample("cordon_ingest_messages_total{result=accepted,type=gate}") == c["accepted"]?["gate"]?.numberValue)
        #expect(sample("cordon_ingest_messages_total{result=stale,type=position}") == c["stale"]?.numberValue)
        #expect(sample("cordon_ingest_messages_total{result=late,type=any}") == c["late"]?.numberValue)
        for (reason, n) in c["rejected"]?.objectValue ?? [:] {
            #expect(sample("cordon_rejected_total{reason=\(reason)}") == n.numberValue, "\(reason)")
        }
        #expect(sample("cordon_published_total{family=violation}") == c["published_by"]?["violation"]?.numberValue ?? 0)
        #expect(sample("cordon_published_total{family=access}") == c["published_by"]?["access"]?.numberValue ?? 0)
        #expect((sample("cordon_published_total{family=access}") ?? 0) >= 1)
        #expect(sample("cordon_dropped_total{where=publish}") == c["dropped_by"]?["publish"]?.numberValue)
        #expect(sample("cordon_tracked_subjects{}") == ping["tracked"]?.numberValue)
        let alarms = s.objectValue?.filter { $0.key.hasPrefix("cordon_alarms_active{") }.reduce(0.0) { $0 + ($1.value.numberValue ?? 0) }
        #expect(alarms == ping["alarms"]?.numberValue)
        #expect((alarms ?? 0) >= 1, "the contractor in the tank farm raises an alarm")
        // Every kind is exposed, at 0 when nothing of it is up: a dashboard shows 0, not "no data".
        #expect(s.objectValue?.keys.contains { $0.hasPrefix("cordon_alarms_active{kind=sos,") } == true)
        #expect(s.objectValue?.first { $0.key.hasPrefix("cordon_alarms_active{kind=sos,") }?.value == 0)
        #expect(sample("cordon_on_site{kind=person}") == 1)
        #expect(sample("cordon_store_queue_depth{}") != nil)
        #expect(sample("cordon_engine_lag_seconds{}") != nil)
        #expect(parsed["types"]?["cordon_ingest_to_publish_seconds"]?.stringValue == "histogram")
        #expect((sample("cordon_ingest_to_publish_seconds_count{}") ?? 0) >= 1)
    }

    /// A platform that does not answer: its backlog and how old its oldest message is, per destination.
    @Test func forwardingBacklogIsMeasured() async throws {
        let h = try await ConsoleHarness(forwardingFile: try ConsoleHarness.unreachablePlatform())
        defer { h.shutdown() }
        try h.loadRegistry()
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        try h.send([
            ["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"],
            ["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)],
        ])
        #expect(try await h.eventually(5) { (try h.zmqControl(["op": "forward.status"])["destinations"]?.arrayValue?.first?["backlog"]?.intValue ?? 0) >= 1 })
        try await Task.sleep(for: .milliseconds(1100))
        let s = try Self.parse(try await h.http("GET", "/metrics").body)["samples"] ?? .null
        #expect((s["cordon_forward_backlog{destination=province}"]?.numberValue ?? 0) >= 1, "\(s)")
        #expect((s["cordon_forward_oldest_age_seconds{destination=province}"]?.numberValue ?? 0) >= 1)
        #expect(s["cordon_forward_given_up_total{destination=province}"]?.numberValue == 0)
        #expect(s["cordon_store_ok{}"]?.numberValue == 1 && s["cordon_store_failures_total{}"]?.numberValue == 0)
    }
}
