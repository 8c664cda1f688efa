import CordonCore
import CordonTestSupport
import Geometry
import Testing

private func vehicleSite() throws -> Site {
    var s = TestSite()
    s.cordon["defaults"] = ["speeding_min_s": 15, "stop_after_s": 300, "stop_speed_kmh": 3, "speed_limit_kmh": 40]
    s.zone("Z-TANK", TestSite.rect(100, 100, 200, 200), ["risk": "red", "vehicles": "forbidden"])
    s.zone("Z-WH", TestSite.rect(-200, 100, -100, 200), ["risk": "yellow", "vehicles": "hazmat-forbidden"])
    s.zone("Z-LOAD", TestSite.rect(300, -50, 400, 50), ["risk": "orange", "speed_limit_kmh": 10])
    s.add(TestSite.feature(kind: "parking", id: "P-HAZ", geometry: TestSite.polygon(TestSite.rect(-400, -400, -300, -300)),
                           ["capacity": 1, "name": "Hazmat parking"]))
    s.add(TestSite.feature(kind: "enterprise", id: "E03", geometry: TestSite.polygon(TestSite.rect(250, -100, 450, 100))))
    return try s.load()
}

private func vehicles() -> Registry {
    var r = Registry()
    r.upsert(Vehicle(plate: "鲁E12345", kind: .hazmat, enterprise: "E03"))
    r.upsert(Vehicle(plate: "鲁E67890", kind: .general, enterprise: "E03"))
    r.upsert(Vehicle(plate: "鲁E00001", kind: .hazmat, enterprise: "E03"))
    return r
}

private func fix(_ plate: String, _ t: Double, _ x: Double, _ y: Double, kmh: Double? = nil) -> IngestMessage {
    let g = TestSite.frame.toLonLat(LocalPoint(x: x, y: y))
    return .position(PositionReport(source: .plate(plate), time: at(t), place: .wgs84(lon: g.lon, lat: g.lat), speedKmh: kmh))
}

@Suite("Hazmat vehicles: speed, stops, closed zones, parking")
struct VehicleRulesTests {
    @Test("over 40 with a 15 s minimum: raised at the first fix 15 s into the episode, cleared at the first fix at or under")
    func speeding() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let out = e.run([fix("鲁E12345", 0, -400, 0, kmh: 35), fix("鲁E12345", 5, -350, 0, kmh: 45), fix("鲁E12345", 10, -290, 0, kmh: 52),
                         fix("鲁E12345", 15, -230, 0, kmh: 48), fix("鲁E12345", 20, -170, 0, kmh: 50), fix("鲁E12345", 25, -110, 0, kmh: 40)])
        #expect(out.map(\.state) == [.raised, .cleared])
        #expect(out.first?.time == at(20) && out.first?.details["limit_kmh"] == 40)
        #expect(out.last?.time == at(25) && out.last?.details["max_speed_kmh"] == 52)
    }

    @Test("the lowest limit applies: 10 km/h in the loading bay")
    func zoneLimit() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let out = e.run((0...4).map { fix("鲁E67890", Double($0) * 5, 310 + Double($0) * 15, 0, kmh: 15) })
        #expect(out.map(\.kind) == [.speeding] && out.first?.details["limit_kmh"] == 10)
    }

    @Test("without speed_kmh the speed is derived from fixes; duplicates and GNSS jumps do not make speeding")
    func derived() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        // 100 m every 10 s is 36 km/h; a duplicate fix, then one 1.4 km away 1 s later (a jump) in between.
        let out = e.run([fix("鲁E12345", 0, -450, 0), fix("鲁E12345", 10, -350, 0), fix("鲁E12345", 10, -350, 0),
                         fix("鲁E12345", 20, -250, 0), fix("鲁E12345", 21, 1200, 0), fix("鲁E12345", 30, -150, 0),
                         fix("鲁E12345", 40, -50, 0)])
        #expect(out.filter { $0.kind == .speeding }.isEmpty)
        #expect(e.state(of: .vehicle("鲁E12345")) != nil)
        // The same without speed_kmh at 150 m every 10 s (54 km/h) for 40 s: the derived speed makes speeding.
        let fast = e.run((0...4).map { fix("鲁E67890", 100 + Double($0) * 10, -450 + Double($0) * 150, -200) })
        #expect(fast.filter { $0.kind == .speeding }.map(\.subject.id) == ["鲁E67890"], "derived 54 km/h over the 40 limit: \(fast.map(\.kind))")
    }

    @Test("a truck parked on the road shoulder for ten minutes: illegal-stop after 300 s; none in the hazmat lot")
    func roadShoulder() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let shoulder = stride(from: 0.0, through: 600, by: 30).map { fix("鲁E12345", $0, 0, -300, kmh: 0) }
        let lot = stride(from: 0.0, through: 600, by: 30).map { fix("鲁E00001", $0, -350, -350, kmh: 0) }
        let out = e.run(merged(shoulder, lot))
        #expect(out.map(\.kind) == [.illegalStop] && out.first?.subject.id == "鲁E12345" && out.first?.time == at(300))
        let moved = e.run([fix("鲁E12345", 630, 50, -300, kmh: 20)])
        #expect(moved.map(\.state) == [.cleared] && moved.first?.details["duration_s"] == 630)
    }

    @Test("a driver cuts through the tank farm between two fixes 20 s apart: forbidden-area by the path, ended by acknowledgement")
    func shortcut() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let out = e.run([fix("鲁E12345", 0, 80, 150, kmh: 30), fix("鲁E12345", 20, 220, 150, kmh: 30)])
        let v = try #require(out.first)
        #expect(out.count == 1 && v.kind == .forbiddenArea && v.zoneID == "Z-TANK" && v.severity == .critical)
        #expect(v.details["how"] == "path crossed between two fixes")
        let ack = e.control(["op": "alarms.ack", "id": .string(v.id), "by": "dispatcher"], at: at(30))
        #expect(ack.outputs.count == 1)
    }

    @Test("inside a zone closed to hazmat trucks: raised at the entry fix, cleared at the exit; a general vehicle may go in")
    func inside() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let out = e.run([fix("鲁E12345", 0, -150, 150, kmh: 5), fix("鲁E67890", 0, -140, 150, kmh: 5), fix("鲁E12345", 30, -150, 250, kmh: 10)])
        #expect(out.map(\.state) == [.raised, .cleared] && out.allSatisfy { $0.subject.id == "鲁E12345" })
    }

    @Test("a second truck in a lot for one: parking-full, cleared when one leaves")
    func parkingFull() throws {
        let e = Engine(site: try vehicleSite(), registry: vehicles())
        let out = e.run([fix("鲁E12345", 0, -350, -350, kmh: 0), fix("鲁E00001", 10, -340, -340, kmh: 0), fix("鲁E00001", 60, -250, -250, kmh: 10)])
        #expect(out.map(\.kind) == [.parkingFull, .parkingFull] && out.map(\.state) == [.raised, .cleared])
        #expect(out.first?.subject.id == "P-HAZ" && out.first?.details["count"] == 2)
    }
}

@Suite("A truck's clock survives a restart")
struct VehicleRestartTests {
    @Test("the allowed stay of a truck on site still runs out after the engine is rebuilt")
    func stayAfterRestart() throws {
        let first = try GateSite.engine()
        let created = first.control(["op": "booking.create", "id": "B1", "plate": "鲁E12345", "gate": "G2", "route": "R1",
                                     "destination": "E02", "window": ["from": .time(at(-3600)), "until": .time(at(7200))],
                                     "max_stay_min": 60, "cargo": ["un": "1203", "class": "3"]], at: at(-60))
        _ = try created.reply.get()
        _ = first.handle(passage("G2", 0, .in, .plate("鲁E12345")))
        let snap = first.snapshot()

        let second = try GateSite.engine()
        second.restore(snap)
        second.restoreGates(presence: first.presence.sorted, bookings: Array(first.bookings.bookings.values))
        let out = second.advance(to: at(3700)).compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(out.contains { $0.kind == .overstay && $0.scope == "site" && $0.time == at(3600) })
    }
}
