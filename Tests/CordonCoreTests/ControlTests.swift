import CordonCore
import CordonTestSupport
import Testing

@Suite("Control ops answered by the engine")
struct ControlTests {
    @Test("registry.upsert is all-or-nothing: one bad record changes nothing")
    func allOrNothing() throws {
        let e = Engine(site: try TestSite().load())
        let r = e.control(["op": "registry.upsert", "people": [["id": "P1"], ["name": "no id"]]], at: at(0))
        #expect(throws: RequestError.self) { try r.reply.get() }
        #expect(e.registry.people.isEmpty)
        #expect(r.effects.isEmpty)
    }

    @Test("registry.get and registry.remove")
    func getRemove() throws {
        let e = Engine(site: try TestSite().load())
        _ = e.control(["op": "registry.upsert", "people": [["id": "P1", "tag": "T1", "qualifications": [["name": "hot-work", "expires": "2027-06-30"]]]],
                       "vehicles": [["plate": "鲁E 12345", "kind": "hazmat"]]], at: at(0))
        let p = try e.control(["op": "registry.get", "person": "P1"], at: at(1)).reply.get()
        #expect(p["person"]?["qualifications"]?.arrayValue?.first?["expires"] == "2027-06-30")
        let v = try e.control(["op": "registry.get", "plate": "鲁E12345"], at: at(1)).reply.get()
        #expect(v["vehicle"]?["plate"] == "鲁E12345")
        let removed = try e.control(["op": "registry.remove", "people": ["P1", "P404"]], at: at(2)).reply.get()
        #expect(removed["people"] == ["P1"])
        #expect(throws: RequestError.self) { try e.control(["op": "registry.get", "person": "P1"], at: at(3)).reply.get() }
    }

    @Test("whereis gives the last position, zone and age")
    func whereis() throws {
        var s = TestSite()
        s.zone("Z-W", TestSite.rect(0, 0, 50, 50), ["name": "Warehouse"])
        var reg = Registry()
        reg.upsert(Person(id: "P1", name: "Li", tag: "T1"))
        let e = Engine(site: try s.load(), registry: reg)
        _ = e.run([pos("T1", 0, 10, 20)])
        let r = try e.control(["op": "whereis", "person": "P1"], at: at(30)).reply.get()
        #expect(r["position"]?["x"] == 10 && r["position"]?["y"] == 20)
        #expect(r["zones"]?.arrayValue?.first?["id"] == "Z-W")
        #expect(r["age_s"] == 30)
        #expect(throws: RequestError.self) { try e.control(["op": "whereis", "person": "P404"], at: at(30)).reply.get() }
    }

    @Test("alarms.active lists raised conditions; alarms.ack records who, and ends event kinds only")
    func alarms() throws {
        var s = TestSite()
        s.zone("Z-CL2", TestSite.rect(0, 0, 50, 50), ["access": "forbidden"])
        var reg = Registry()
        reg.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: reg)
        let v = try #require(e.run([pos("T1", 0, 10, 10)]).first)
        let active = try e.control(["op": "alarms.active"], at: at(1)).reply.get()
        #expect(active["count"] == 1)
        let ack = e.control(["op": "alarms.ack", "id": .string(v.id), "by": "duty officer"], at: at(2))
        #expect((try? ack.reply.get()) != nil)
        #expect(ack.outputs.isEmpty, "a lasting condition stays raised after acknowledgement")
        let after = try e.control(["op": "alarms.active"], at: at(3)).reply.get()
        #expect(after["alarms"]?.arrayValue?.first?["acknowledged"]?["by"] == "duty officer")
        #expect(throws: RequestError.self) { try e.control(["op": "alarms.ack", "id": "V-nope", "by": "x"], at: at(4)).reply.get() }
    }

    @Test("unknown ops and malformed requests get an error, never silence")
    func errors() throws {
        let e = Engine(site: try TestSite().load())
        #expect(throws: RequestError.self) { try e.control(["op": "launch"], at: at(0)).reply.get() }
        #expect(throws: RequestError.self) { try e.control(["no": "op"], at: at(0)).reply.get() }
        #expect(throws: RequestError.self) { try e.control("just a string", at: at(0)).reply.get() }
    }
}

@Suite("Restart: the engine's state survives")
struct SnapshotTests {
    @Test("a person in a zone before a restart is still there after it, with the same entry time, and nothing is raised twice")
    func restore() throws {
        var s = TestSite()
        s.zone("Z-CL2", TestSite.rect(0, 0, 50, 50), ["access": "forbidden"])
        var reg = Registry()
        reg.upsert(Person(id: "P1", tag: "T1"))
        let site = try s.load()
        let first = Engine(site: site, registry: reg)
        let raised = first.run([pos("T1", 0, 10, 10)])
        let snap = first.snapshot()

        let second = Engine(site: site, registry: reg)
        second.restore(snap)
        second.restore(alarms: raised)
        #expect(second.state(of: .person("P1"))?.stays.first?.since == at(0))
        #expect(second.run([pos("T1", 10, 12, 12)]).isEmpty, "no repeat after a restart")
        let out = second.run([pos("T1", 20, 80, 80)])
        #expect(out.map(\.state) == [.cleared] && out.first?.id == raised.first?.id)
    }
}

@Suite("Removing someone from the registry")
struct RegistryRemoveTests {
    @Test("a person removed while inside a zone leaves it, and what was raised about them ends")
    func forget() throws {
        var s = TestSite()
        s.zone("Z-CL2", TestSite.rect(0, 0, 50, 50), ["access": "forbidden"])
        var reg = Registry()
        reg.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: reg)
        #expect(e.run([pos("T1", 0, 10, 10)]).map(\.kind) == [.restrictedZone])
        let r = e.control(["op": "registry.remove", "people": ["P1"]], at: at(5))
        let cleared = r.outputs.compactMap { if case .violation(let v) = $0 { return v }; return nil }
        #expect(cleared.map(\.state) == [.cleared])
        #expect(try e.control(["op": "headcount"], at: at(6)).reply.get()["total_in_zones"] == 0)
        #expect(e.alarms.active.isEmpty)
    }
}
