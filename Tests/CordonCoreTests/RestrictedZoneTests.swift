import CordonCore
import Geometry
import Testing

@Suite("restricted-zone: who may be inside a red zone")
struct RestrictedZoneTests {
    static func site() throws -> Site {
        var s = TestSite()
        s.zone("Z-TANK-1", TestSite.rect(0, 0, 100, 100), ["name": "Tank farm 1", "risk": "red", "access": "permit",
                                                           "requires": ["hot-work"], "roles": ["tank-operator"]])
        s.zone("Z-CL2", TestSite.rect(200, 0, 250, 50), ["name": "Chlorine store", "risk": "red", "access": "forbidden"])
        s.zone("Z-OFFICE", TestSite.rect(-100, -100, -50, -50), ["risk": "blue"])
        return try s.load()
    }

    static func registry() -> Registry {
        var r = Registry()
        r.upsert(Person(id: "P-WELDER", name: "Wang", role: "welder", enterprise: "E01", tag: "T1",
                        qualifications: [Qualification(name: "hot-work", expires: Expiry(text: "2027-06-30"))]))
        r.upsert(Person(id: "P-CONTRACTOR", name: "Zhao", role: "fitter", enterprise: "E03", tag: "T2", contractor: true))
        r.upsert(Person(id: "P-OPERATOR", role: "tank-operator", tag: "T3"))
        r.upsert(Person(id: "P-EXPIRED", tag: "T4", qualifications: [Qualification(name: "hot-work", expires: Expiry(text: "2026-01-31"))]))
        return r
    }

    @Test("a contractor without hot-work walks into the tank farm: raised at entry, cleared at exit")
    func contractor() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        let out = e.run([pos("T2", 0, -20, 50), pos("T2", 1, 10, 50), pos("T2", 2, 50, 50), pos("T2", 3, -10, 50)])
        #expect(out.count == 2)
        let raised = try #require(out.first)
        #expect(raised.kind == .restrictedZone && raised.state == .raised)
        #expect(raised.time == at(1) && raised.zoneID == "Z-TANK-1" && raised.subject.id == "P-CONTRACTOR")
        #expect(raised.severity == .critical, "a red zone makes it critical")
        #expect(raised.details["reason"]?.stringValue?.contains("no qualification hot-work") == true)
        let cleared = try #require(out.last)
        #expect(cleared.state == .cleared && cleared.time == at(3) && cleared.id == raised.id)
    }

    @Test("a welder with a valid hot-work qualification, and a tank operator by role, are allowed")
    func allowed() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        #expect(e.run([pos("T1", 0, 50, 50), pos("T3", 0, 60, 60)]).isEmpty)
    }

    @Test("an expired qualification does not count")
    func expired() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        let out = e.run([pos("T4", 0, 50, 50)])
        #expect(out.map(\.kind) == [.restrictedZone])
        #expect(out.first?.details["reason"]?.stringValue?.contains("expired") == true)
    }

    @Test("a forbidden zone admits no one, not even the qualified welder")
    func forbidden() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        let out = e.run([pos("T1", 0, 220, 20)])
        #expect(out.map(\.kind) == [.restrictedZone])
        #expect(out.first?.zoneID == "Z-CL2")
    }

    @Test("jitter at the edge within the exit tolerance does not make it flap")
    func jitter() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        // In at x=1, then wobbling 0.3 m outside and back: still inside by the 0.5 m tolerance.
        let out = e.run([pos("T2", 0, 1, 50), pos("T2", 1, -0.3, 50), pos("T2", 2, 0.2, 50), pos("T2", 3, -0.4, 50),
                         pos("T2", 4, -0.6, 50)])
        #expect(out.map(\.state) == [.raised, .cleared])
        #expect(out.last?.time == at(4), "it leaves at the first position farther than 0.5 m outside")
    }

    @Test("the same input gives the same output, ids included")
    func deterministic() throws {
        let input = [pos("T2", 0, 10, 10), pos("T2", 5, 300, 300), pos("T4", 6, 20, 20)]
        let a = Engine(site: try Self.site(), registry: Self.registry()).run(input)
        let b = Engine(site: try Self.site(), registry: Self.registry()).run(input)
        #expect(a == b)
        #expect(a.count == 3)
    }
}

@Suite("Zone membership: entry delay, floors, lateness")
struct MembershipTests {
    @Test("with enter_delay_s the entry counts at the first position that completes the stay")
    func enterDelay() throws {
        var s = TestSite()
        s.zone("Z-CL2", TestSite.rect(0, 0, 50, 50), ["access": "forbidden", "enter_delay_s": 10])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: r)
        // Passing through for 5 s does not count; staying 10 s does.
        var out = e.run([pos("T1", 0, 10, 10), pos("T1", 5, 20, 10), pos("T1", 6, 60, 10)])
        #expect(out.isEmpty)
        out = e.run([pos("T1", 20, 10, 10), pos("T1", 25, 10, 12), pos("T1", 30, 10, 14)])
        #expect(out.map(\.time) == [at(30)])
    }

    @Test("a zone with a level applies only on that floor")
    func levels() throws {
        var s = TestSite()
        s.zone("Z-UPPER", TestSite.rect(0, 0, 50, 50), ["access": "forbidden", "level": 1])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: r)
        #expect(e.run([pos("T1", 0, 10, 10, level: 0)]).isEmpty)
        let out = e.run([pos("T1", 1, 10, 10, level: 1), pos("T1", 2, 10, 10, level: 0)])
        #expect(out.map(\.state) == [.raised, .cleared], "going downstairs leaves the upper-floor zone")
    }

    @Test("an event older than the newest for its subject is dropped and changes nothing")
    func late() throws {
        var s = TestSite()
        s.zone("Z-CL2", TestSite.rect(0, 0, 50, 50), ["access": "forbidden"])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: r)
        #expect(e.handle(pos("T1", 10, -20, 10)).disposition == .accepted)
        let late = e.handle(pos("T1", 5, 10, 10))
        #expect(late.disposition == .late && late.outputs.isEmpty)
        #expect(e.state(of: .person("P1"))?.point.x == -20)
    }

    @Test("an unknown frame and a position far outside the site are rejected with a reason")
    func rejected() throws {
        let e = Engine(site: try TestSite().load())
        let m = IngestMessage.position(PositionReport(source: .tag("T1"), time: at(0), place: .local(x: 0, y: 0, frame: "nope")))
        #expect(e.handle(m).disposition == .rejected(.unknownFrame("nope")))
        if case .rejected(let r) = e.handle(pos("T1", 1, 5000, 0)).disposition {
            #expect(r.code == "out-of-bounds")
        } else {
            Issue.record("a position 4.5 km outside the fence must be rejected")
        }
        #expect(e.trackedCount == 0, "a rejected message creates no state")
    }
}
