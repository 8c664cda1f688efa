import CordonCore
import Foundation
import Geometry
import Testing

/// A park with every timed rule a restart must not reset: a two-person tank (lone worker), a
/// crowding pump house, a staffed control room, a stay limit, a shoulder trucks stop on and a
/// hazmat lot of one.
private func timedSite() throws -> Site {
    var s = TestSite()
    s.cordon["defaults"] = ["offline_after_s": 600, "man_down_after_s": 60, "man_down_cancel_s": 20, "lone_worker_grace_s": 60,
                            "understaffed_after_s": 45, "stop_after_s": 90, "stop_speed_kmh": 3, "speed_limit_kmh": 40,
                            "speeding_min_s": 15]
    s.zone("Z-TANK", TestSite.rect(0, 0, 100, 100), ["risk": "red", "two_person": true, "max_stay_min": 2])
    s.zone("Z-PUMP", TestSite.rect(200, 0, 300, 100), ["risk": "orange", "crowding": ["radius_m": 15, "min_people": 3, "duration_s": 50]])
    s.zone("Z-CR", TestSite.rect(-200, -200, -150, -150), ["risk": "blue", "min_people": 1])
    s.add(TestSite.feature(kind: "parking", id: "P-HAZ", geometry: TestSite.polygon(TestSite.rect(-400, -400, -300, -300)),
                           ["capacity": 1, "name": "Hazmat parking"]))
    return try s.load()
}

private func people() -> Registry {
    var r = Registry()
    for i in 1...6 { r.upsert(Person(id: "P\(i)", name: "Worker \(i)", role: "fitter", tag: "T\(i)")) }
    r.upsert(Vehicle(plate: "鲁E12345", kind: .hazmat, enterprise: "E03"))
    r.upsert(Vehicle(plate: "鲁E00001", kind: .hazmat, enterprise: "E03"))
    r.upsert(Vehicle(plate: "鲁E00002", kind: .hazmat, enterprise: "E03"))
    return r
}

private func fix(_ plate: String, _ t: Double, _ x: Double, _ y: Double, kmh: Double) -> IngestMessage {
    let g = TestSite.frame.toLonLat(LocalPoint(x: x, y: y))
    return .position(PositionReport(source: .plate(plate), time: at(t), place: .wgs84(lon: g.lon, lat: g.lat), speedKmh: kmh))
}

private func still(_ tag: String, _ t: Double, _ x: Double, _ y: Double) -> IngestMessage {
    .position(PositionReport(source: .tag(tag), time: at(t), place: .local(x: x, y: y, frame: nil), level: 0, moving: false))
}

/// Four minutes of the park: P1 alone in the tank from 5 s, three in the pump house from 10 s,
/// the control room empty, P5 still from 20 s, P6's fall at 30 s, a truck stopping on the
/// shoulder from 15 s, two trucks in a lot for one from 25 s.
private func feed() -> [IngestMessage] {
    var m: [IngestMessage] = []
    for t in stride(from: 0.0, through: 240, by: 5) {
        if t >= 5 { m.append(pos("T1", t, 50, 50)) }
        for (i, tag) in ["T2", "T3", "T4"].enumerated() where t >= 10 { m.append(pos(tag, t, 250 + Double(i) * 2, 50)) }
        if t >= 20 { m.append(still("T5", t, -50, 300)) }
        if t >= 25 { m.append(pos("T6", t, 300, 300)) }
        m.append(fix("鲁E12345", t, 0, -300, kmh: t < 15 ? 30 : 0))
        if t >= 25 {
            m.append(fix("鲁E00001", t, -350, -350, kmh: 0))
            m.append(fix("鲁E00002", t, -340, -340, kmh: 0))
        }
    }
    m.append(.alert(TagAlert(tag: "T6", time: at(30), kind: .fall)))
    return merged(m.filter { $0.time < at(30) }, m.filter { $0.time >= at(30) })
}

/// Every raise and clear as (time, kind, subject, scope, state, id).
private func record(_ outputs: [Output]) -> [String] {
    outputs.compactMap {
        guard case .violation(let v) = $0 else { return nil }
        return "\(v.time.milliseconds) \(v.kind.rawValue) \(v.subject.id) \(v.scope) \(v.state.rawValue) \(v.id)"
    }
}

@Suite("A restart at any moment changes nothing that comes after it")
struct RestartEquivalenceTests {
    @Test("snapshot and restore between two messages: the same raises and clears at the same instants, none twice",
          arguments: [3, 17, 40, 77, 120, 180, 260, 330])
    func restartAnywhere(cut: Int) throws {
        let site = try timedSite()
        let messages = feed()
        let end = at(400)

        let straight = Engine(site: site, registry: people(), start: at(0))
        var expected = messages.flatMap { record(straight.handle($0).outputs) }
        expected += record(straight.advance(to: end))

        let before = Engine(site: site, registry: people(), start: at(0))
        var got = messages.prefix(cut).flatMap { record(before.handle($0).outputs) }
        // Through JSON, as the store keeps it.
        let data = try JSONEncoder().encode(before.snapshot())
        let snap = try JSONDecoder().decode(EngineSnapshot.self, from: data)
        let after = Engine(site: site, registry: people(), start: before.now)
        after.restore(snap)
        after.restore(alarms: before.alarms.active.values.sorted { ($0.time, $0.id) < ($1.time, $1.id) })
        got += messages.dropFirst(cut).flatMap { record(after.handle($0).outputs) }
        got += record(after.advance(to: end))

        // Timers due at one instant are rebuilt in another order than they were set: the same
        // events at the same instants, their order within an instant aside.
        #expect(got.sorted() == expected.sorted())
        #expect(Set(got).count == got.count, "nothing raised or cleared twice")
        // The scenario does exercise the timers it is about.
        let kinds = Set(expected.map { $0.split(separator: " ")[1] })
        for k in ["lone-worker", "crowding", "understaffed", "overstay", "man-down", "fall", "illegal-stop", "parking-full"] {
            #expect(kinds.contains(Substring(k)), "no \(k) in the scenario")
        }
    }
}
