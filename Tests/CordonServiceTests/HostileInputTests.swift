import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing

/// Finite but absurd numbers: each of these once stopped `cordon serve` with a trap (an
/// `Int64(1e19)` or `Int(1e19)` on the way to a bounds check). Now each is refused with a
/// reason, and the service goes on with what it had.
@Suite("numbers from outside are bounded before they become times or integers", .serialized)
struct HostileInputTests {
    @Test("positions with coordinates of 1e19, 2^63 and 1.8e308 are rejected as out of bounds; the service goes on")
    func hugeCoordinates() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let now = nowMs()
        for (x, y) in [("-1640.22", "1e+19"), ("9223372036854775808", "10"), ("1.8e308", "10"), ("-1.8e308", "-1.8e308")] {
            try h.send(#"{"type":"position","tag":"T15592","t":\#(now),"x":\#(x),"y":\#(y)}"#)
        }
        // Through a frame, too: the rotation of a huge finite point overflows to infinity.
        try h.send(#"{"type":"position","tag":"T15593","t":\#(now),"x":1e308,"y":1e308,"frame":"uwb-cr"}"#)
        try h.send(#"{"type":"position","tag":"T1001","t":\#(now),"x":60,"y":250}"#)
        let counters = try h.waitForCounters { ($0["accepted"]?["position"]?.intValue ?? 0) >= 1 }
        let rejected = counters["rejected"]?.objectValue ?? [:]
        #expect(rejected.values.compactMap(\.intValue).reduce(0, +) == 5)
        #expect(try h.request(["op": "ping"])["ok"] == true)
    }

    @Test("track with from = 1e19 or a fractional limit is an invalid-request, not a crash")
    func trackBounds() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        for bad: Value in [["op": "track", "person": "P0001", "from": 1e19], ["op": "track", "person": "P0001", "until": -1],
                           ["op": "track", "person": "P0001", "from": "9999999-01-01T00:00:00Z"],
                           ["op": "track", "person": "P0001", "limit": 1e300], ["op": "track", "person": "P0001", "limit": 2.5]] {
            let reply = try h.request(bad)
            #expect(reply["ok"] == false && reply["error"]?["code"] == "invalid-request", "\(bad)")
        }
        #expect(try h.request(["op": "track", "person": "P0001"])["ok"] == true)
    }

    @Test("permit and booking windows beyond year 9999 are refused with a reason")
    func windows() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        let now = Double(nowMs())
        let permit = try h.request(["op": "permit.create", "id": "WP1", "kind": "hot-work", "zone": "Z-TANK-1",
                                    "workers": ["P0042"], "window": ["from": .number(now), "until": 1e19]])
        #expect(permit["ok"] == false && permit["error"]?["code"] == "invalid-request")
        let booking = try h.request(["op": "booking.create", "plate": "鲁E12345", "gate": "G2", "destination": "E03",
                                     "window": ["from": .number(now), "until": 1.8e308]])
        #expect(booking["ok"] == false)
        #expect(try h.request(["op": "permit.list"])["permits"]?.arrayValue?.isEmpty == true)
        #expect(try h.request(["op": "ping"])["ok"] == true)
    }

    @Test("a site file with settings of 1e300 seconds or a crowding radius of 1e-300 m is refused, naming each")
    func siteSettings() throws {
        let text = try String(contentsOf: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson"), encoding: .utf8)
        var doc = try JSONText.parse(Array(text.utf8))
        guard case .object(var root) = doc, case .object(var cordon)? = root["cordon"] else { Issue.record("no cordon"); return }
        cordon["defaults"] = ["offline_after_s": 1e300, "man_down_after_s": 1e10]
        root["cordon"] = .object(cordon)
        if case .array(var features)? = root["features"] {
            for i in features.indices where features[i]["properties"]?["kind"] == "zone" {
                guard case .object(var f) = features[i], case .object(var props)? = f["properties"] else { continue }
                props["crowding"] = ["radius_m": 1e-300, "min_people": 3, "duration_s": 60]
                props["max_stay_min"] = 1e300
                f["properties"] = .object(props)
                features[i] = .object(f)
                break
            }
            root["features"] = .array(features)
        }
        doc = .object(root)
        #expect {
            try SiteLoader.load(doc)
        } throws: { error in
            let text = "\(error)"
            return text.contains("defaults.offline_after_s") && text.contains("defaults.man_down_after_s")
                && text.contains("crowding.radius_m") && text.contains("max_stay_min")
        }
    }

    @Test("instants saturate instead of trapping when a duration is absurd")
    func instantArithmetic() {
        let t = Instant(milliseconds: 1_795_334_400_000)
        #expect(t.adding(seconds: 1e300) == Instant(milliseconds: .max))
        #expect(t.adding(seconds: -.infinity) == Instant(milliseconds: .min))
        #expect(t.adding(seconds: .nan) == t)
        #expect(Instant(milliseconds: .max).adding(milliseconds: 1) == Instant(milliseconds: .max))
        #expect(Bounded.instant(epochMilliseconds: 1e19) == nil && Bounded.instant(epochMilliseconds: -1) == nil)
        #expect(Bounded.instant(epochMilliseconds: 1_795_334_400_000.5) == nil)
        #expect(Bounded.integer(1e300, in: 0...10) == nil && Bounded.integer(7, in: 0...10) == 7)
    }
}
