import CordonCore
import CordonTestSupport
import Testing

@Suite("Presence: the gate record, and the gate record against positions")
struct PresenceTests {
    @Test("an entry puts the subject in the ledger with time, gate, tag and booking; an exit takes it out")
    func ledger() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G3", 0, .in, .card("C1")))
        let entry = try #require(e.presence[.person("P1")])
        #expect(entry.since == at(0) && entry.gate == "G3" && entry.tag == "T1" && !entry.tagIssued)
        #expect(entry.enterprise == "E01")
        _ = e.pass(passage("G1", 100, .out, .card("C1")))
        #expect(e.presence[.person("P1")] == nil)
    }

    @Test("a denied entry leaves no record")
    func deniedNoRecord() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G3", 0, .in, .card("CB")))
        #expect(e.presence.count == 0)
    }

    @Test("untracked: entered and no position within untracked_after_s, raised by the clock, cleared by the first position")
    func untracked() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G3", 0, .in, .card("C1")))
        #expect(e.advance(to: at(299)).isEmpty)
        let due = e.advance(to: at(400))
        let v = try #require(due.first.flatMap { if case .violation(let v) = $0 { return v }; return nil })
        #expect(v.kind == .untracked && v.state == .raised && v.time == at(300), "raised at the instant the time ran out")
        #expect(v.subject.id == "P1" && v.details["gate"] == "G3" && v.details["tag"] == "T1")
        let p = e.pass(pos("T1", 410, 10, 10))
        #expect(p.cleared == [.untracked])
        #expect(e.pass(pos("T1", 420, 11, 10)).violations.isEmpty)
    }

    @Test("a position in time means no untracked; leaving ends a raised one")
    func untrackedNot() throws {
        let e = try GateSite.engine()
        _ = e.pass(passage("G3", 0, .in, .card("C1")))
        _ = e.pass(pos("T1", 30, 10, 10))
        #expect(e.advance(to: at(1000)).isEmpty)

        _ = e.pass(passage("G3", 1000, .in, .card("C2")))
        #expect(e.advance(to: at(1400)).count == 1)
        let out = e.pass(passage("G3", 1500, .out, .card("C2")))
        #expect(out.cleared == [.untracked])
        #expect(out.violations.last?.details["ended"] == "left the site")
    }

    @Test("no-entry-record: a registered person positioned inside with no entry, after the grace")
    func noEntryRecord() throws {
        let e = try GateSite.engine()
        #expect(e.pass(pos("T2", 0, 10, 10)).violations.isEmpty)
        #expect(e.pass(pos("T2", 119, 11, 10)).violations.isEmpty)
        let out = e.pass(pos("T2", 121, 12, 10))
        let v = try #require(out.violations.first)
        #expect(v.kind == .noEntryRecord && v.time == at(120) && v.subject.id == "P2")
        #expect(v.position?.x == 11, "where they were when the grace ran out")
        #expect(v.details["first_seen"] == .time(at(0)))
        let entry = e.pass(passage("G1", 200, .in, .card("C2")))
        #expect(entry.cleared == [.noEntryRecord], "an entry recorded late ends it")
    }

    @Test("an entry that trails the first positions by less than the grace raises nothing")
    func noEntryGrace() throws {
        let e = try GateSite.engine()
        _ = e.pass(pos("T2", 0, 10, 10))
        _ = e.pass(passage("G1", 30, .in, .card("C2")))
        _ = e.pass(pos("T2", 60, 10, 10))
        #expect(e.advance(to: at(1000)).isEmpty)
    }

    @Test("no-entry-record is not raised outside the fence, nor for tags the registry does not know")
    func noEntryOutside() throws {
        let e = try GateSite.engine()
        _ = e.pass(pos("T2", 0, 10, -600))
        _ = e.pass(pos("T2", 200, 10, -610))
        let unknown = e.pass(pos("T-STRANGER", 0, 10, 10)).raised
        #expect(unknown == [.unknownTag])
        let later = e.advance(to: at(1000)).compactMap { if case .violation(let v) = $0 { return v.kind }; return nil }
        #expect(!later.contains(.noEntryRecord))
    }

    @Test("a flagged person positioned outside the fence is no longer without an entry on site")
    func noEntryLeaves() throws {
        let e = try GateSite.engine()
        _ = e.pass(pos("T2", 0, 10, 10))
        _ = e.advance(to: at(200))
        #expect(e.pass(pos("T2", 210, 10, -520)).cleared == [.noEntryRecord])
    }

    @Test("a tag issued at entry positions the visitor, is listed in presence, and is released at exit")
    func issuedTag() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "V1", name: "Visitor Zhou", enterprise: "E02"))
        let e = try GateSite.engine(r)
        let entry = e.pass(passage("G1", 0, .in, .person("V1"), tag: "VT-7"))
        #expect(entry.decision?["tag"] == "VT-7" && entry.decision?["subject"]?["tag"] == "VT-7")
        #expect(e.presence[.person("V1")]?.tagIssued == true)
        _ = e.pass(pos("VT-7", 10, 50, 50))
        #expect(e.state(of: .person("V1"))?.lastPositionTime == at(10), "the tag's positions are the visitor's")
        let exit = e.pass(passage("G1", 100, .out, .person("V1")))
        #expect(exit.granted && exit.reasons == ["tag-not-returned"], "the exit's record says the tag was kept")
        #expect(e.registry.owner(ofTag: "VT-7") == nil)
        #expect(e.pass(pos("VT-7", 110, 50, 50)).raised == [.unknownTag], "a tag left behind shows up as unknown")
    }

    @Test("handing back another tag than the one issued is written in the exit's record")
    func wrongTag() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "V1"))
        let e = try GateSite.engine(r)
        _ = e.pass(passage("G1", 0, .in, .person("V1"), tag: "VT-7"))
        #expect(e.pass(passage("G1", 10, .out, .person("V1"), tag: "VT-8")).reasons == ["wrong-tag-returned"])
    }

    @Test("a tag that is someone else's is not issued")
    func tagInUse() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "V1"))
        let e = try GateSite.engine(r)
        let out = e.pass(passage("G1", 0, .in, .person("V1"), tag: "T2"))
        #expect(out.granted && out.reasons == ["tag-in-use"])
        #expect(e.registry.owner(ofTag: "T2") == .person("P2"))
    }

    @Test("after a restart the ledger, the bookings and the issued tags are back, and untracked is watched again")
    func restore() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "V1"))
        let first = try GateSite.engine(r)
        _ = try first.control(BookingTests.request(), at: at(0)).reply.get()
        _ = first.pass(passage("G1", 10, .in, .person("V1"), tag: "VT-1"))
        _ = first.pass(passage("G2", 20, .in, .plate("鲁E12345")))

        let second = try GateSite.engine(r)
        second.restoreGates(presence: first.presence.sorted, bookings: Array(first.bookings.bookings.values))
        #expect(second.presence.sorted == first.presence.sorted)
        #expect(second.bookings["B1"]?.status == .used)
        #expect(second.registry.owner(ofTag: "VT-1") == .person("V1"))
        let due = second.advance(to: at(400)).compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(due.map(\.kind) == [.untracked] && due.first?.time == at(310))
        #expect(second.pass(passage("G2", 500, .in, .plate("鲁E12345"))).reasons == ["booking-used", "already-inside"])
    }

    @Test("presence: totals by kind and enterprise, each subject with its record, reconciled with positions")
    func presenceOp() throws {
        var r = GateSite.registry
        r.upsert(Person(id: "V1", name: "Visitor"))
        let e = try GateSite.engine(r)
        _ = e.control(["op": "booking.create", "id": "B1", "plate": "鲁E12345", "gate": "G2", "route": "R1",
                       "destination": "E02", "window": ["from": .time(at(0)), "until": .time(at(3600))],
                       "cargo": ["un": "1203", "class": "3"]], at: at(0))
        _ = e.pass(passage("G3", 10, .in, .card("C1")))
        _ = e.pass(passage("G3", 20, .in, .card("C2")))
        _ = e.pass(passage("G1", 30, .in, .person("V1"), tag: "VT-1"))
        _ = e.pass(passage("G2", 40, .in, .plate("鲁E12345")))
        _ = e.pass(pos("T1", 50, 10, 10))
        _ = e.pass(pos("T-X", 50, 10, 10))
        let p = try e.ask(["op": "presence"], at: 400)
        #expect(p["total"] == 4)
        #expect(p["by_kind"] == ["person": 3, "vehicle": 1])
        #expect(p["by_enterprise"]?["E01"] == ["person": 1, "vehicle": 0, "total": 1])
        #expect(p["by_enterprise"]?["E02"] == ["person": 1, "vehicle": 1, "total": 2])
        #expect(p["by_enterprise"]?["none"] == ["person": 1, "vehicle": 0, "total": 1])
        let subjects = p["subjects"]?.arrayValue ?? []
        #expect(subjects.map { $0["id"] } == ["P1", "P2", "V1", "鲁E12345"], "people, then vehicles, by id")
        #expect(subjects[0]["tracked"] == true && subjects[0]["last_position_t"] == .time(at(50)))
        #expect(subjects[1]["tracked"] == false && subjects[1]["untracked"] == true)
        #expect(subjects[2]["tag"] == "VT-1" && subjects[2]["tag_issued"] == true)
        #expect(subjects[3]["booking"] == "B1" && subjects[3]["gate"] == "G2")
        #expect(p["untracked"]?.arrayValue?.map { $0["id"] } == ["P2", "V1"])

        let people = try e.ask(["op": "presence", "kind": "person", "enterprise": "E02", "list": false], at: 400)
        #expect(people["total"] == 1 && people["subjects"] == nil)
        #expect(try e.ask(["op": "presence", "id": "鲁e12345"], at: 400)["total"] == 1)
        #expect(throws: RequestError.self) { try e.ask(["op": "presence", "kind": "animal"], at: 400) }
    }
}
