import CordonCore
import CordonStore
import CordonWire
import Foundation
import Testing

@Suite("Gates through cordon serve: real tcp loopback, real SQLite", .serialized)
struct GateServeTests {
    static let booking: Value = [
        "op": "booking.create", "id": "B0001", "plate": "鲁E12345", "gate": "G2", "route": "R1", "destination": "E02",
        "window": ["from": "2026-11-22T07:00:00+08:00", "until": "2099-01-01T00:00:00Z"], "max_stay_min": 360,
        "cargo": ["un": "1203", "class": "3"], "waybill": "WB-1",
    ]
    static let vehicles: Value = [
        "op": "registry.upsert", "vehicles": [["plate": "鲁E12345", "kind": "hazmat", "enterprise": "E02"]],
    ]

    /// The hazmat truck 鲁E12345 registered and booked, in through G2 five seconds before `t0`,
    /// then standing and moving off (14.4 km/h) on the road inside: what the forwarding tests
    /// expect a platform to hear of.
    static func hazmatTruckEnters(_ h: ServiceHarness, before t0: Int64) throws {
        #expect(try h.request(vehicles)["ok"] == true)
        #expect(try h.request(booking)["ok"] == true)
        try h.send(#"{"type":"gate","gate":"G2","t":\#(t0 - 5_000),"direction":"in","plate":"鲁E12345"}"#)
        try h.send(#"{"type":"position","plate":"鲁E12345","t":\#(t0 - 2_000),"x":200,"y":30,"speed_kmh":0}"#)
        try h.send(#"{"type":"position","plate":"鲁E12345","t":\#(t0 - 1_000),"x":200,"y":34,"speed_kmh":14.4}"#)
    }

    @Test("a gate message in gives access.<gate> on SUB, stored before it was said; presence then lists the person")
    func decisionOnSub() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        try h.send(#"{"type":"gate","gate":"G3","t":"2026-11-22T07:58:00+08:00","direction":"in","person":"P0001","tag":"T1001"}"#)
        let event = try #require(try h.nextEvent())
        #expect(event.topic == "access.G3")
        #expect(event.body["decision"] == "granted" && event.body["subject"]?["id"] == "P0001")
        #expect(event.body["site"] == "scenario-park" && event.body["direction"] == "in")

        // What a subscriber has seen, the store has: the decision row is there, with the same body.
        let store = try Store(directory: h.dataDirectory)
        defer { try? store.close() }
        let rows = try store.passages()
        #expect(rows.map(\.id) == [event.body["id"]?.stringValue ?? "?"])
        #expect(try JSONText.parse(rows.first?.body ?? "") == event.body)
        #expect(try store.loadPresence().map(\.subject) == [.person("P0001")])

        let presence = try h.request(["op": "presence"])
        #expect(presence["ok"] == true && presence["total"] == 1)
        #expect(presence["subjects"]?.arrayValue?.first?["id"] == "P0001")
        #expect(presence["subjects"]?.arrayValue?.first?["gate"] == "G3")
        let ping = try h.request(["op": "ping"])
        #expect(ping["counters"]?["accepted"]?["gate"] == 1)
    }

    @Test("a denied passage publishes the decision, then access-denied, both stored")
    func denied() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        _ = try h.request(Self.vehicles)
        try h.send(#"{"type":"gate","gate":"G1","t":"2026-11-22T07:58:00+08:00","direction":"in","plate":"鲁Ｅ１２３４５"}"#)
        let decision = try #require(try h.nextEvent())
        #expect(decision.topic == "access.G1" && decision.body["decision"] == "denied")
        let violation = try #require(try h.nextEvent())
        #expect(violation.topic == "violation.access-denied")
        #expect(violation.body["details"]?["decision"] == decision.body["id"])
        let store = try Store(directory: h.dataDirectory)
        defer { try? store.close() }
        #expect(try store.passages().first?.decision == "denied")
        #expect(try store.openAlarms().map(\.kind) == [.accessDenied])
    }

    @Test("presence and bookings survive a restart: the truck is still on site, its booking used, the visitor's tag still theirs")
    func restart() throws {
        let data = ServiceHarness.temporaryDirectory()
        do {
            let h = try ServiceHarness(dataDirectory: data)
            _ = try h.request(registry)
            _ = try h.request(Self.vehicles)
            #expect(try h.request(Self.booking)["ok"] == true)
            var second = Self.booking.objectValue ?? [:]
            second["id"] = "B0002"
            second["window"] = ["from": "2099-01-01T00:00:00Z", "until": "2099-01-02T00:00:00Z"]
            #expect(try h.request(.object(second))["ok"] == true)
            try h.send(#"{"type":"gate","gate":"G2","t":"2026-11-22T08:00:00+08:00","direction":"in","plate":"鲁E12345"}"#)
            try h.send(#"{"type":"gate","gate":"G3","t":"2026-11-22T08:01:00+08:00","direction":"in","person":"P0042","tag":"V-77"}"#)
            #expect(try h.nextEvent(topic: "access.G2")?.body["booking"] == "B0001")
            #expect(try h.nextEvent(topic: "access.G3")?.body["decision"] == "granted")
            h.shutdown()
        }
        let h = try ServiceHarness(dataDirectory: data)
        defer { h.shutdown() }
        let presence = try h.request(["op": "presence"])
        #expect(presence["total"] == 2)
        let subjects = presence["subjects"]?.arrayValue ?? []
        #expect(subjects.map { $0["id"] } == ["P0042", "鲁E12345"])
        #expect(subjects.first?["tag"] == "V-77" && subjects.first?["tag_issued"] == true)
        #expect(subjects.last?["booking"] == "B0001" && subjects.last?["since"] == "2026-11-22T00:00:00.000Z")

        let bookings = try h.request(["op": "booking.list"])
        #expect(bookings["bookings"]?.arrayValue?.map { $0["id"] } == ["B0001", "B0002"])
        #expect(bookings["bookings"]?.arrayValue?.map { $0["status"] } == ["used", "active"])

        // The issued tag still positions the visitor; the hard gate still knows the truck is inside.
        #expect(try h.request(["op": "registry.get", "tag": "V-77"])["person"]?["id"] == "P0042")
        try h.send(#"{"type":"gate","gate":"G2","t":"2026-11-22T09:00:00+08:00","direction":"in","plate":"鲁E12345"}"#)
        let again = try #require(try h.nextEvent(topic: "access."))
        #expect(again.topic == "access.G2" && again.body["decision"] == "denied")
        #expect(again.body["reasons"]?.arrayValue?.map { $0["code"] }.contains("already-inside") == true)
    }
}

extension ServiceHarness {
    /// The next event whose topic starts with `prefix`, skipping others (clock-driven alarms
    /// may come in between), or nil after the timeout.
    func nextEvent(topic prefix: String) throws -> (topic: String, body: Value)? {
        for _ in 0..<20 {
            guard let e = try nextEvent() else { return nil }
            if e.topic.hasPrefix(prefix) { return e }
        }
        return nil
    }
}
