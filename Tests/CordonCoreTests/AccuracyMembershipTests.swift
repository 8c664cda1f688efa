import CordonCore
import CordonTestSupport
import Testing

/// A position with the RTLS's own error estimate.
func fix(_ tag: String, _ t: Double, _ x: Double, _ y: Double, accuracy: Double?, frame: String? = nil) -> IngestMessage {
    .position(PositionReport(source: .tag(tag), time: at(t), place: .local(x: x, y: y, frame: frame), accuracyM: accuracy, moving: true))
}

@Suite("Accuracy-aware membership: a fix too coarse for the zone's edge decides nothing")
struct AccuracyMembershipTests {
    /// A red tank farm (required 1 m by default), a blue yard (3 m), and an RTLS frame whose
    /// fixes are ±4 m unless they say otherwise.
    static func site(defaults: [String: Value] = [:], tankProps: [String: Value] = [:]) throws -> Site {
        var s = TestSite()
        var tank: [String: Value] = ["name": "Tank farm 1", "risk": "red", "access": "forbidden"]
        for (k, v) in tankProps { tank[k] = v }
        s.zone("Z-TANK", TestSite.rect(0, 0, 100, 100), tank)
        s.zone("Z-YARD", TestSite.rect(200, 0, 300, 100), ["risk": "blue", "access": "forbidden"])
        s.cordon["frames"] = ["ble-yard": ["offset_m": [0, 0], "rotation_deg": 0, "accuracy_m": 4]]
        if !defaults.isEmpty { s.cordon["defaults"] = .object(defaults) }
        return try s.load()
    }

    static func registry() -> Registry {
        var r = Registry()
        r.upsert(Person(id: "P1", name: "Zhao", role: "fitter", tag: "T1"))
        return r
    }

    @Test("the site file gives each zone its requirement: risk-class defaults, the site's override, the zone's own")
    func requirements() throws {
        let plain = try Self.site()
        #expect(plain.zone("Z-TANK")?.requiredAccuracyM == 1 && plain.zone("Z-YARD")?.requiredAccuracyM == 3)
        let tuned = try Self.site(defaults: ["required_accuracy_m": ["blue": 2.5]], tankProps: ["required_accuracy_m": 0.5])
        #expect(tuned.zone("Z-TANK")?.requiredAccuracyM == 0.5 && tuned.zone("Z-YARD")?.requiredAccuracyM == 2.5)
        #expect(throws: SiteError.self) { try Self.site(defaults: ["required_accuracy_m": ["purple": 2]]) }
        #expect(throws: SiteError.self) { try Self.site(tankProps: ["required_accuracy_m": -1]) }
    }

    @Test("a ±8 m fix at the red zone's edge raises nothing; the next precise fix inside decides")
    func coarseEntryWaits() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, -20, 50, accuracy: 0.3), fix("T1", 1, 2, 50, accuracy: 8)]).isEmpty,
                "2 m inside with ±8 m: the disc straddles the edge, so no entry")
        let raised = e.run([fix("T1", 2, 2.5, 50, accuracy: 0.3)])
        #expect(raised.map(\.state) == [.raised] && raised.first?.time == at(2), "the precise fix enters, at its own time")
    }

    @Test("a ±8 m fix at the edge clears nothing; the next precise fix outside decides")
    func coarseExitWaits() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 5, 50, accuracy: 0.3)]).map(\.state) == [.raised])
        #expect(e.run([fix("T1", 1, -3, 50, accuracy: 8), fix("T1", 2, -6, 50, accuracy: 8)]).isEmpty,
                "3 and 6 m outside with ±8 m: still inside as far as anyone can tell")
        #expect(e.state(of: .person("P1"))?.stays.count == 1)
        let cleared = e.run([fix("T1", 10, -3, 50, accuracy: 0.3)])
        #expect(cleared.map(\.state) == [.cleared] && cleared.first?.time == at(10))
        let s = try #require(e.state(of: .person("P1")))
        #expect(s.undecidedS == 9, "undecided from the first coarse fix (1 s) to the settling one (10 s)")
        #expect(s.undecided.isEmpty)
    }

    @Test("a coarse fix far from every edge decides as any other; a precise one at the edge too")
    func coarseButClear() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 50, 50, accuracy: 8)]).map(\.state) == [.raised], "42 m from the edge: the disc is inside")
        #expect(e.run([fix("T1", 1, 50, 150, accuracy: 8)]).map(\.state) == [.cleared], "50 m outside: the disc is outside")
        #expect(e.run([fix("T1", 2, 0.2, 50, accuracy: 0.9)]).map(\.state) == [.raised], "0.9 m is within the red zone's 1 m")
    }

    @Test("a looser zone takes what a stricter one does not: ±2 m decides the blue yard, not the red tank farm")
    func perRisk() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 201, 50, accuracy: 2)]).map(\.zoneID) == ["Z-YARD"])
        let e2 = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e2.run([fix("T1", 0, 1, 50, accuracy: 2)]).isEmpty)
    }

    @Test("a frame's accuracy_m counts for its fixes that give none; a fix's own accuracy wins")
    func frameDefault() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 2, 50, accuracy: nil, frame: "ble-yard")]).isEmpty, "±4 m from the frame, 2 m inside")
        #expect(e.run([fix("T1", 1, 2, 50, accuracy: 0.2, frame: "ble-yard")]).map(\.state) == [.raised])
        let plain = Engine(site: try Self.site(), registry: Self.registry())
        #expect(plain.run([fix("T1", 0, 2, 50, accuracy: nil)]).map(\.state) == [.raised],
                "no accuracy anywhere: decided exactly as before accuracy counted")
    }

    @Test("entry delay: coarse fixes neither complete nor lapse a pending entry")
    func enterDelay() throws {
        let e = Engine(site: try Self.site(tankProps: ["enter_delay_s": 5]), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 3, 50, accuracy: 0.3)]).isEmpty, "pending from 0 s")
        #expect(e.run([fix("T1", 3, 1, 50, accuracy: 6), fix("T1", 6, 1, 50, accuracy: 6)]).isEmpty,
                "at 6 s the delay has passed, but a coarse fix cannot complete it")
        let out = e.run([fix("T1", 7, 3, 50, accuracy: 0.3)])
        #expect(out.map(\.state) == [.raised] && out.first?.time == at(7), "the pending entry from 0 s was kept, and completes now")
    }

    @Test("exit tolerance still holds: a precise fix within it stays in")
    func exitTolerance() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([fix("T1", 0, 1, 50, accuracy: 0.1), fix("T1", 1, -0.4, 50, accuracy: 0.1)]).map(\.state) == [.raised])
        #expect(e.run([fix("T1", 2, -0.6, 50, accuracy: 0.1)]).map(\.state) == [.cleared])
    }

    @Test("whereis shows the zones undecided now and the time spent undecided")
    func whereis() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        _ = e.run([fix("T1", 0, 5, 50, accuracy: 0.3), fix("T1", 4, -2, 50, accuracy: 8)])
        let r = e.control(["op": "whereis", "person": "P1"], at: at(5))
        let u = try #require(try r.reply.get()["undecided"])
        #expect(u["zones"]?.arrayValue?.first?["id"] == "Z-TANK")
        #expect(u["zones"]?.arrayValue?.first?["since"] == .time(at(4)))
        #expect(u["total_s"] == 0, "still open: counted when a fix settles it")
        let quiet = Engine(site: try Self.site(), registry: Self.registry())
        _ = quiet.run([fix("T1", 0, 5, 50, accuracy: nil)])
        #expect(try quiet.control(["op": "whereis", "person": "P1"], at: at(1)).reply.get()["undecided"] == nil,
                "a subject never undecided gets no new member")
    }

    @Test("an accuracy_m that is negative, not finite, or over 1000 m is refused and changes nothing")
    func bounded() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        for bad in [-0.1, 1000.5, .infinity, .nan] {
            let handled = e.handle(fix("T1", 0, 5, 50, accuracy: bad))
            let (d, out) = (handled.disposition, handled.outputs)
            guard case .rejected(let reason) = d else { Issue.record("accuracy \(bad) was taken"); continue }
            #expect(reason.code == "invalid-value" && out.isEmpty)
        }
        #expect(e.state(of: .person("P1")) == nil)
    }
}
