import CordonCore
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
import Testing

/// The README's five-minute tour, run with the files it ships (docs/examples/tour/) against a
/// real `serve` on the demo park: if the tour stops working as written, this fails.
@Suite("the README tour, with its own files, against a real serve", .serialized)
struct TourTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tour = root.appendingPathComponent("docs/examples/tour")

    static func file(_ name: String) throws -> String { try String(contentsOf: tour.appendingPathComponent(name), encoding: .utf8) }

    /// What `stamp.py` prints for a request file: relative times made absolute.
    static func stamped(_ name: String) throws -> Value {
        let p = try ChildProcess.run("/usr/bin/env", ["python3", tour.appendingPathComponent("stamp.py").path, tour.appendingPathComponent(name).path],
                                     within: 60)
        return try JSONText.parse(Array(p.output))
    }

    /// Sends a tour file's lines as `push.py` does, each stamped with a time: `clock` moves on a
    /// second a line, so a file sent "a line a second" takes no wall time here.
    static func push(_ name: String, _ h: ServiceHarness, clock: inout Int64) throws {
        for line in try file(name).split(separator: "\n") where !line.isEmpty {
            guard case .object(var o) = try JSONText.parse(Array(line.utf8)) else { continue }
            o["t"] = .int(Int(clock))
            clock += 1000
            try h.send(JSONText.encode(.object(o)))
        }
    }

    static func merge(_ op: String, _ v: Value) -> Value {
        guard case .object(var o) = v else { return v }
        o["op"] = .string(op)
        return .object(o)
    }

    @Test("steps 4 to 11: people, gates, a contractor in the tank farm, his permit, its close, a truck's journey, a drill")
    func tour() throws {
        let site = Self.root.appendingPathComponent("geofences/demo-park.geojson").path
        let h = try ServiceHarness(sitePath: site)
        defer { h.shutdown() }
        var clock = nowMs()
        func events(_ n: Int) throws -> [(topic: String, body: Value)] {
            var got: [(topic: String, body: Value)] = []
            while got.count < n, let e = try h.nextEvent() { got.append(e) }
            return got
        }

        // 4. Who is who.
        let upsert = try h.request(Self.merge("registry.upsert", try JSONText.parse(Array(try Self.file("people.json").utf8))))
        #expect(upsert["people"] == 5 && upsert["vehicles"] == 1)
        // 5. In through the staff gate.
        try Self.push("gate.jsonl", h, clock: &clock)
        #expect(try events(5).map(\.topic) == Array(repeating: "access.G3", count: 5))
        // 6. Positions: the contractor without hot-work is in the red tank farm.
        try Self.push("positions.jsonl", h, clock: &clock)
        let raised = try #require(try h.nextEvent())
        #expect(raised.topic == "violation.restricted-zone")
        #expect(raised.body["subject"]?["id"] == "P0042" && raised.body["zone"]?["id"] == "Z-E01-TANK-1")
        // 7. Who is where.
        #expect(try h.request(["op": "headcount", "zone": "Z-E01-TANK-1"])["zone"]?["count"] == 2)
        #expect(try h.request(["op": "presence"])["total"] == 5)
        // 8. His hot-work permit admits him.
        let permit = try h.request(Self.merge("permit.create", try Self.stamped("permit.json")))
        #expect(permit["ok"] == true, "\(permit)")
        let cleared = try #require(try h.nextEvent())
        #expect(cleared.topic == "cleared.restricted-zone" && cleared.body["id"] == raised.body["id"])
        try Self.push("positions-guardian.jsonl", h, clock: &clock)
        // 9. The permit closed with both inside: from then on neither may be there.
        #expect(try h.request(["op": "permit.close", "id": "WP7", "by": "E01 safety office"])["ok"] == true)
        let afterClose = try events(2)
        #expect(Set(afterClose.compactMap { $0.body["subject"]?["id"]?.stringValue }) == ["P0042", "P0043"])
        #expect(afterClose.allSatisfy { $0.topic == "violation.restricted-zone" })
        try Self.push("positions-out.jsonl", h, clock: &clock)
        #expect(try events(2).allSatisfy { $0.topic == "cleared.restricted-zone" })
        // 10. The tanker's trip.
        let booking = try h.request(Self.merge("booking.create", try Self.stamped("booking.json")))
        #expect(booking["ok"] == true, "\(booking)")
        try Self.push("truck-in.jsonl", h, clock: &clock)
        try Self.push("truck-out.jsonl", h, clock: &clock)
        let gates = try events(2)
        #expect(gates.map(\.topic) == ["access.G2", "access.G2"] && gates.allSatisfy { $0.body["decision"] == "granted" })
        let journey = try h.request(["op": "journey", "booking": "B0001"])["journey"]
        #expect(journey?["status"] == "used")
        let steps = journey?["events"]?.arrayValue?.compactMap { $0["step"]?.stringValue } ?? []
        #expect(steps.contains("arrived") && steps.contains("exited"), "\(steps)")
        #expect(journey?["violations"]?.arrayValue?.isEmpty == true)
        // 11. A drill: five on the roster, one vouched for by hand.
        let start = try h.request(["op": "muster.start", "mode": "drill", "by": "drill coordinator Zhou"])
        #expect(start["muster"]?["total"] == 5)
        let mark = try h.request(["op": "muster.mark", "person": "P0101", "by": "shift leader Sun", "note": "stayed at the control desk"])
        #expect(mark["muster"]?["accounted"] == 1)
        let end = try h.request(["op": "muster.end", "by": "drill coordinator Zhou"])
        #expect(end["report"]?["accounted"] == 1 && end["report"]?["missing"] == 4)
    }
}
