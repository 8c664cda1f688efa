@testable import CordonService
import CordonCore
import CordonWire
import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import Testing

/// The live stream: bounded per client, resync when behind, alarms never pushed out by
/// positions, and over a real WebSocket a position sent on ZeroMQ arrives.
@Suite(.serialized) struct LiveFeedTests {
    @Test func aClientThatFallsBehindIsToldToResync() async throws {
        let feed = LiveFeed(eventCapacity: 10, positionCapacity: 100)
        let c = feed.attach()
        for i in 0..<25 { feed.post(topic: "violation.sos", body: Array("{\"n\":\(i)}".utf8)) }
        let batch = try #require(await c.next())
        #expect(batch.first?.topic == "resync")
        #expect(batch.count <= 11)
        #expect(c.resyncCount >= 1)
        feed.detach(c)
        #expect(await c.next() == nil)
        #expect(!feed.hasClients)
    }

    @Test func positionsNeverPushAlarmsOut() async throws {
        let feed = LiveFeed(eventCapacity: 10, positionCapacity: 50)
        let c = feed.attach()
        feed.post(topic: "violation.restricted-zone", body: Array("{}".utf8))
        // Ten thousand positions of 200 subjects: one latest each at most, none displacing the alarm.
        for i in 0..<10_000 { feed.post(position: Array("{\"i\":\(i)}".utf8), subject: "person:P\(i % 200)") }
        let batch = try #require(await c.next())
        #expect(batch.first?.topic == "violation.restricted-zone")
        #expect(!batch.contains { $0.topic == "resync" })
        #expect(batch.filter { $0.topic == "position" }.count == 50)
    }

    @Test func subscribeFilters() async throws {
        let feed = LiveFeed()
        let c = feed.attach()
        c.subscribe(["muster."])
        feed.post(topic: "violation.sos", body: Array("{}".utf8))
        feed.post(position: Array("{}".utf8), subject: "person:P1")
        feed.post(topic: "muster.progress", body: Array("{}".utf8))
        let batch = try #require(await c.next())
        #expect(batch.map(\.topic) == ["muster.progress"])
    }

    @Test func aPositionOverZeroMQReachesTheWebSocket() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        let got = Mutex<[String]>([])
        let sender = Task {
            // Keep sending until the socket has seen it (the client connects meanwhile).
            for i in 0..<100 {
                try h.send([["type": "position", "tag": "T2101", "x": .number(100 + Double(i)), "y": 50]])
                try await Task.sleep(for: .milliseconds(100))
                if got.withLock({ !$0.isEmpty }) { return }
            }
        }
        _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(h.port)/api/live", logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"subscribe":["position"]}"#))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let v = try JSONText.parse(text)
                if v["topic"]?.stringValue == "position", v["body"]?["subject"]?["id"]?.stringValue == "P0101" {
                    got.withLock { $0.append(text) }
                    #expect(v["body"]?["lon"]?.numberValue != nil)
                    #expect(v["body"]?["t"]?.stringValue != nil)
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                }
            }
        }
        sender.cancel()
        #expect(got.withLock { $0.count } == 1)
    }
}
