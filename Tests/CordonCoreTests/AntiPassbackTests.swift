import CordonCore
import Testing

@Suite("Anti-passback: no entering twice, no leaving without having entered")
struct AntiPassbackTests {
    @Test("hard gate: a second entry is denied, raising access-denied and anti-passback; the first record stands")
    func hard() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G3", 0, .in, .card("C1"))).granted)
        let again = e.pass(passage("G3", 60, .in, .card("C1")))
        #expect(!again.granted && again.reasons == ["already-inside"])
        #expect(again.raised == [.accessDenied, .antiPassback])
        let apb = try #require(again.violations.first { $0.kind == .antiPassback })
        #expect(apb.details["mode"] == "hard" && apb.details["reason"] == "already-inside")
        #expect(apb.details["inside_since"] == .time(at(0)) && apb.details["entered_at_gate"] == "G3")
        #expect(e.presence[.person("P1")]?.since == at(0))
    }

    @Test("hard gate: leaving without an entry on record is denied")
    func hardExit() throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G3", 0, .out, .person("P1")))
        #expect(!out.granted && out.reasons == ["not-inside"])
        #expect(out.raised == [.accessDenied, .antiPassback])
    }

    @Test("soft gate: allowed, and anti-passback raised (not access-denied)")
    func soft() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G1", 0, .in, .card("C1")))
        let again = e.pass(passage("G1", 60, .in, .card("C1")))
        #expect(again.granted && again.reasons == ["already-inside"])
        #expect(again.raised == [.antiPassback])
        let out = e.pass(passage("G1", 120, .out, .card("C2")))
        #expect(out.granted && out.reasons == ["not-inside"])
    }

    @Test("off: allowed, nothing raised, the finding still written in the decision")
    func off() throws {
        let e = try GateSite.engine()
        var r = GateSite.registry
        r.upsert(Person(id: "S", qualifications: [Qualification(name: "site-safety")]))
        let f = Engine(site: e.site, registry: r)
        _ = f.pass(passage("G5", 0, .in, .person("S")))
        let again = f.pass(passage("G5", 1, .in, .person("S")))
        #expect(again.granted && again.reasons == ["already-inside"] && again.violations.isEmpty)
    }

    @Test("entering, leaving and entering again is ordinary")
    func roundTrip() throws {
        let e = try GateSite.engine()
        for (i, dir) in [GatePassage.Direction.in, .out, .in, .out, .in].enumerated() {
            let out = e.pass(passage("G3", Double(i * 60), dir, .card("C1")))
            #expect(out.granted && out.reasons.isEmpty, "passage \(i)")
        }
        #expect(e.presence[.person("P1")]?.since == at(240))
    }

    @Test("an identity the rules already refuse is not checked for anti-passback")
    func unknownNotChecked() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G3", 0, .out, .card("C404"))).reasons == ["unknown-card"])
    }
}
