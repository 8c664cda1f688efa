import CordonCore
import CordonTestSupport
import Testing

@Suite("Gate access: who may pass which gate, and when")
struct GateAccessTests {
    @Test("a registered worker's card is granted at the staff gate; the decision names the person, gate and credential")
    func granted() throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G3", 0, .in, .card("C1")))
        #expect(out.disposition == .accepted)
        let d = try #require(out.decision)
        #expect(d["decision"] == "granted" && d["reasons"] == [])
        #expect(d["gate"] == "G3" && d["direction"] == "in" && d["t"] == "2026-11-22T08:00:00.000Z")
        #expect(d["subject"]?["kind"] == "person" && d["subject"]?["id"] == "P1" && d["subject"]?["name"] == "Li Wei")
        #expect(d["credential"] == ["card": "C1"])
        #expect(d["site"] == "test-park" && d["id"]?.stringValue?.hasPrefix("A-") == true)
        #expect(out.outputs.first?.topic == "access.G3", "the decision comes first")
        #expect(out.violations.isEmpty)
    }

    @Test("an unknown person, card or plate is denied, and access-denied carries the reason", arguments: [
        (GatePassage.Credential.person("P404"), "unknown-person"),
        (.card("C404"), "unknown-card"),
        (.plate("鲁E40404"), "unknown-plate"),
        (.plate("鲁E1234"), "malformed-plate"),
        (.plate("X1234567"), "malformed-plate"),
    ])
    func unknown(_ credential: GatePassage.Credential, _ code: String) throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G1", 0, .in, credential))
        #expect(!out.granted)
        #expect(out.reasons == [code])
        let v = try #require(out.violations.first)
        #expect(v.kind == .accessDenied && v.details["gate"] == "G1" && v.scope == out.decision?["id"]?.stringValue)
        #expect(v.details["reasons"]?.arrayValue?.first?["code"] == .string(code))
        #expect(e.presence.count == 0)
    }

    @Test("a blacklisted person is refused at the way in, but never kept from leaving")
    func blacklisted() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G1", 0, .in, .card("CB"))).reasons == ["blacklisted"])
        let out = e.pass(passage("G1", 10, .out, .card("CB")))
        #expect(out.granted, "leaving is never refused for being blacklisted")
        #expect(out.reasons == ["not-inside"], "soft anti-passback: noted, not refused")
    }

    @Test("a blacklisted plate is found whatever width or case its characters are written in")
    func blacklistedFullWidth() throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G1", 0, .in, .plate("鲁ｅ８８８８８")))
        #expect(out.reasons == ["blacklisted"])
        #expect(out.decision?["subject"]?["id"] == "鲁E88888")
    }

    @Test("a contractor needs a safety induction on record, valid to the end of its day in the park's time zone")
    func induction() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "C-NONE", contractor: true))
        r.upsert(Person(id: "C-OLD", contractor: true, inductionUntil: Expiry(text: "2026-10-31")))
        r.upsert(Person(id: "C-TODAY", contractor: true, inductionUntil: Expiry(text: "2026-11-22")))
        r.upsert(Person(id: "STAFF-OLD", inductionUntil: Expiry(text: "2026-11-01")))
        let e = try GateSite.engine(r)
        #expect(e.pass(passage("G3", 0, .in, .person("C-NONE"))).reasons == ["induction-missing"])
        #expect(e.pass(passage("G3", 1, .in, .person("C-OLD"))).reasons == ["induction-expired"])
        #expect(e.pass(passage("G3", 2, .in, .person("STAFF-OLD"))).reasons == ["induction-expired"],
                "an expired induction on record refuses anyone, contractor or not")
        // at(0) is 16:00 in Shanghai; 2026-11-22 ends at midnight there (16:00 UTC): valid at
        // 23:59:59 local, not at 00:00:00.
        #expect(e.pass(passage("G3", 28_799, .in, .person("C-TODAY"))).granted)
        #expect(e.pass(passage("G3", 28_800, .out, .person("C-TODAY"))).granted, "leaving is not refused")
        #expect(e.pass(passage("G3", 28_801, .in, .person("C-TODAY"))).reasons == ["induction-expired"])
    }

    @Test("a gate may require a qualification of everyone entering: missing and expired are refused")
    func gateRequires() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "Q-OK", qualifications: [Qualification(name: "site-safety", expires: Expiry(text: "2027-01-01"))]))
        r.upsert(Person(id: "Q-OLD", qualifications: [Qualification(name: "site-safety", expires: Expiry(text: "2026-01-01"))]))
        let e = try GateSite.engine(r)
        #expect(e.pass(passage("G5", 0, .in, .person("Q-OK"))).granted)
        #expect(e.pass(passage("G5", 1, .in, .person("Q-OLD"))).reasons == ["qualification-expired"])
        #expect(e.pass(passage("G5", 2, .in, .person("P1"))).reasons == ["qualification-missing"])
        #expect(e.pass(passage("G1", 3, .in, .person("P1"))).granted, "other gates do not require it")
    }

    @Test("gate class: no vehicle at a staff gate; hazmat trucks only at hazmat gates, and only they pass there")
    func gateClass() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G3", 0, .in, .plate("鲁E20001"))).reasons == ["wrong-gate-class"])
        #expect(e.pass(passage("G2", 1, .in, .plate("鲁E20001"))).reasons == ["wrong-gate-class"])
        #expect(e.pass(passage("G1", 2, .in, .plate("鲁E20001"))).granted)
        let hazmat = e.pass(passage("G1", 3, .in, .plate("鲁E12345")))
        #expect(hazmat.reasons == ["booking-required", "wrong-gate-class"])
        #expect(e.pass(passage("G3", 4, .in, .person("P1"))).granted, "people pass staff gates")
        #expect(e.pass(passage("G2", 5, .in, .person("P2"))).granted, "and the people in hazmat trucks, hazmat gates")
    }

    @Test("the emergency gate refuses ordinary passage both ways")
    func emergencyGate() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G4", 0, .in, .person("P1"))).reasons == ["emergency-gate"])
        _ = e.pass(passage("G3", 1, .in, .person("P1")))
        #expect(e.pass(passage("G4", 2, .out, .person("P1"))).reasons == ["emergency-gate"])
        #expect(e.pass(passage("G4", 3, .in, .plate("鲁E20001"))).reasons == ["emergency-gate"])
    }

    @Test("when the gate decides by itself, the decision is still the rules'; a passage let through against them is critical")
    func gateDecidedItself() throws {
        let e = try GateSite.engine()
        let forced = e.pass(passage("G1", 0, .in, .card("CB"), granted: true))
        #expect(!forced.granted)
        #expect(forced.reasons == ["blacklisted", "gate-disagrees"])
        #expect(forced.decision?["gate_granted"] == true)
        let v = try #require(forced.violations.first { $0.kind == .accessDenied })
        #expect(v.severity == .critical && v.details["gate_granted"] == true)
        #expect(e.presence[.person("PB")] != nil, "the ledger follows what physically happened: PB is inside")

        let refused = e.pass(passage("G1", 1, .in, .card("C1"), granted: false))
        #expect(refused.granted && refused.reasons == ["gate-disagrees"])
        #expect(refused.violations.isEmpty)
        #expect(e.presence[.person("P1")] == nil, "the gate kept them out")

        let agreed = e.pass(passage("G1", 2, .in, .card("C1"), granted: true))
        #expect(agreed.granted && agreed.reasons.isEmpty)
    }

    @Test("each refused passage is its own access-denied, kept until acknowledged")
    func eachRefusal() throws {
        let e = try GateSite.engine()
        let first = e.pass(passage("G1", 0, .in, .card("CB")))
        let second = e.pass(passage("G1", 60, .in, .card("CB"), granted: true))
        #expect(first.raised == [.accessDenied] && second.raised == [.accessDenied])
        #expect(first.violations[0].id != second.violations[0].id)
        #expect(e.alarms.active.values.filter { $0.kind == .accessDenied }.count == 2)
        let ack = e.control(["op": "alarms.ack", "id": .string(first.violations[0].id), "by": "guard Zhang"], at: at(120))
        #expect(ack.outputs.first.map { if case .violation(let v) = $0 { return v.state == .cleared }; return false } == true)
        #expect(e.alarms.active.values.filter { $0.kind == .accessDenied }.count == 1)
    }

    @Test("every passage gets one decision, granted or not, with an id that is the same in every replay")
    func stableIDs() throws {
        let input = [
            passage("G3", 0, .in, .card("C1")), passage("G3", 0, .in, .card("C1")),
            passage("G1", 5, .in, .person("P404")), passage("G3", 9, .out, .card("C1")),
        ]
        func ids() throws -> [String] {
            let e = try GateSite.engine()
            return input.compactMap { e.pass($0).decision?["id"]?.stringValue }
        }
        let first = try ids()
        #expect(first.count == 4)
        #expect(Set(first).count == 4, "two passages in one millisecond still get two ids")
        #expect(try ids() == first)
    }

    @Test("a gate message older than the newest one of its gate is late and dropped")
    func late() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G3", 10, .in, .card("C1")))
        let out = e.pass(passage("G3", 9, .in, .card("C2")))
        #expect(out.disposition == .late && out.outputs.isEmpty)
        #expect(e.pass(passage("G1", 9, .in, .card("C2"))).granted, "other gates keep their own order")
    }

    @Test("a gate the site does not have is rejected")
    func unknownGate() throws {
        let e = try GateSite.engine()
        guard case .rejected(let r) = e.pass(passage("G9", 0, .in, .card("C1"))).disposition else {
            Issue.record("expected a rejection")
            return
        }
        #expect(r.code == "unknown-gate")
    }
}

@Suite("Leaving through a gate ends stillness")
struct LeftStillTests {
    @Test("someone standing still who then badges out gets no man-down")
    func noManDownAfterExit() throws {
        var site = TestSite()
        site.add(TestSite.feature(kind: "gate", id: "G3", geometry: TestSite.point(200, -500), ["class": "staff", "anti_passback": "hard"]))
        let e = Engine(site: try site.load(), registry: GateSite.registry)
        _ = e.handle(passage("G3", 0, .in, .person("P1"), tag: "T1"))
        for i in 0..<30 {
            _ = e.handle(.position(PositionReport(source: .tag("T1"), time: at(1 + Double(i)), place: .local(x: 200, y: -480, frame: nil), moving: false)))
        }
        _ = e.handle(passage("G3", 40, .out, .person("P1"), tag: "T1"))
        let out = e.advance(to: at(400)).compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(!out.contains { $0.kind == .manDown })
    }
}
