import CordonCore
import CordonTestSupport
import Geometry
import Testing

@Suite("overcrowding: a control room over its limit")
struct OvercrowdingTests {
    static func engine() throws -> Engine {
        var s = TestSite()
        s.zone("Z-CR", TestSite.rect(0, 0, 20, 20), ["name": "Central control room", "risk": "blue", "max_people": 3])
        var r = Registry()
        for i in 1...5 { r.upsert(Person(id: "P\(i)", tag: "T\(i)")) }
        return Engine(site: try s.load(), registry: r)
    }

    @Test("the fourth person in a room for three raises it; the first to leave clears it")
    func controlRoom() throws {
        let e = try Self.engine()
        var out = e.run((1...3).map { pos("T\($0)", Double($0), 5, 5) })
        #expect(out.isEmpty)
        out = e.run([pos("T4", 10, 6, 6)])
        let v = try #require(out.first)
        #expect(v.kind == .overcrowding && v.state == .raised && v.time == at(10))
        #expect(v.subject.kind == "zone" && v.subject.id == "Z-CR")
        #expect(v.details["count"] == 4 && v.details["max_people"] == 3)
        #expect(v.details["people"] == ["P1", "P2", "P3", "P4"])
        // A fifth does not raise it again.
        #expect(e.run([pos("T5", 11, 7, 7)]).isEmpty)
        out = e.run([pos("T5", 20, 50, 50)])
        #expect(out.isEmpty, "four is still over three")
        out = e.run([pos("T4", 21, 50, 50)])
        #expect(out.map(\.state) == [.cleared])
        #expect(out.first?.id == v.id && out.first?.details["count"] == 3)
    }

    @Test("a multi-storey zone without a level counts each floor on its own")
    func perLevel() throws {
        let e = try Self.engine()
        let out = e.run([pos("T1", 0, 5, 5, level: 0), pos("T2", 0, 5, 5, level: 0), pos("T3", 0, 5, 5, level: 1),
                         pos("T4", 0, 5, 5, level: 1)])
        #expect(out.isEmpty, "two on each floor is within a limit of three per floor")
    }

    @Test("headcount lists who is in the room")
    func headcount() throws {
        let e = try Self.engine()
        _ = e.run([pos("T1", 0, 5, 5), pos("T2", 1, 5, 5)])
        let r = try e.control(["op": "headcount", "zone": "Z-CR"], at: at(2)).reply.get()
        #expect(r["zone"]?["count"] == 2)
        #expect(r["zone"]?["people"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["P1", "P2"])
        let all = try e.control(["op": "headcount"], at: at(2)).reply.get()
        #expect(all["total_in_zones"] == 2)
    }
}

@Suite("unknown-tag: positions from a tag the registry does not know")
struct UnknownTagTests {
    @Test("raised once, cleared when the tag goes silent for the offline time")
    func silent() throws {
        let e = Engine(site: try TestSite().load())
        var out = e.run([pos("TX", 0, 1, 1), pos("TX", 1, 2, 2), pos("TX", 2, 3, 3)])
        #expect(out.map(\.kind) == [.unknownTag])
        #expect(out.first?.subject.kind == "tag")
        out = e.advance(to: at(100)).compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(out.map(\.state) == [.cleared])
        #expect(out.first?.time == at(62), "cleared when the silence reached offline_after_s (60 s)")
    }

    @Test("cleared when the registry learns the tag, and the track moves to the person")
    func registered() throws {
        let e = Engine(site: try TestSite().load())
        _ = e.run([pos("TX", 0, 1, 1)])
        let result = e.control(["op": "registry.upsert", "people": [["id": "P9", "name": "Visitor", "tag": "TX"]]], at: at(5))
        let cleared = result.outputs.compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(cleared.map(\.state) == [.cleared])
        #expect(e.state(of: .person("P9"))?.point.x == 1)
        #expect(e.run([pos("TX", 6, 2, 2)]).isEmpty)
    }
}
