import CordonCore
import CordonTestSupport
import Testing

private func musterSite() throws -> Site {
    var s = TestSite()
    s.add(TestSite.feature(kind: "muster", id: "M1", geometry: TestSite.polygon(TestSite.rect(-400, 300, -350, 350)), ["name": "North"]))
    s.add(TestSite.feature(kind: "enterprise", id: "E01", geometry: TestSite.polygon(TestSite.rect(-500, -500, 0, 500))))
    s.add(TestSite.feature(kind: "enterprise", id: "E02", geometry: TestSite.polygon(TestSite.rect(0, -500, 500, 500))))
    s.zone("Z-TANK", TestSite.rect(-300, -300, -200, -200), ["risk": "red"])
    s.zone("Z-WH", TestSite.rect(-150, -300, -50, -200), ["risk": "yellow"])
    return try s.load()
}

private func staff() -> Registry {
    var r = Registry()
    for i in 1...6 { r.upsert(Person(id: "P\(i)", name: "Worker \(i)", enterprise: i <= 4 ? "E01" : "E02", tag: "T\(i)")) }
    return r
}

private func events(_ outputs: [Output], _ topic: String) -> [Value] {
    outputs.compactMap { if case .muster(let e, let body, _) = $0, e.topic == topic { return body }; return nil }
}

@Suite("Emergency mustering (应急点名)")
struct MusterTests {
    @Test("the roster is everyone positioned in the scope; standing in a muster point for the dwell accounts for a person")
    func accounting() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0), pos("T2", 0, -120, 0), pos("T5", 0, 100, 0)])
        let start = e.control(["op": "muster.start", "mode": "emergency", "scope": ["E01"], "by": "commander"], at: at(5))
        let started = try #require(events(start.outputs, "muster.started").first)
        #expect(started["total"] == 2 && started["roster"] == ["P1", "P2"], "P5 is in E02, outside the scope")
        var out: [Output] = []
        for t in stride(from: 10.0, through: 40, by: 5) {
            out += e.handle(pos("T1", t, -375, 325)).outputs
        }
        let acc = events(out, "muster.accounted")
        #expect(acc.count == 1 && acc.first?["person"] == "P1" && acc.first?["point"] == "M1")
        #expect(acc.first?["t"] == .time(at(20)), "first inside at 10 s, dwell 10 s")
    }

    @Test("walking through a muster point without stopping does not count")
    func passingBy() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0)])
        _ = e.control(["op": "muster.start", "mode": "drill"], at: at(1))
        let out = e.run([pos("T1", 5, -380, 325), pos("T1", 10, -360, 325), pos("T1", 15, -300, 325)])
        #expect(out.isEmpty)
        #expect(e.muster?.accountedCount == 0)
    }

    @Test("progress is published at least every 5 s with nothing else happening")
    func progress() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0)])
        _ = e.control(["op": "muster.start", "mode": "drill"], at: at(1))
        let out = e.advance(to: at(31))
        let times = out.compactMap { if case .muster(.progress, _, let t) = $0 { return t }; return nil }
        #expect(times == [6, 11, 16, 21, 26, 31].map(at))
        #expect(events(out, "muster.progress").first?["missing"] == 1)
    }

    @Test("a replayed line dated 260 years on during a drill publishes one catch-up progress, not one per 5 s across the gap")
    func clockJumpDuringMuster() throws {
        // Found by the control fuzzer: a gate line in 2288 during a drill made the engine publish
        // a progress for every 5 s of the 262 years (1.6 billion events) before answering again.
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0)])
        _ = e.control(["op": "muster.start", "mode": "drill"], at: at(1))
        _ = e.advance(to: at(30))
        let far = Instant(milliseconds: 10_000_000_000_000)
        func progressTimes(_ out: [Output]) -> [Instant] {
            out.compactMap { if case .muster(.progress, _, let t) = $0 { return t }; return nil }
        }
        let jumped = progressTimes(e.advance(to: far))
        #expect(jumped.first == at(31) && jumped.last == far)
        #expect(jumped.filter { $0 <= at(3_630) }.count == 720, "every 5 s for the first hour after the clock left")
        #expect(jumped.filter { $0 > at(3_630) } == [far], "then one where the clock lands")
        #expect(progressTimes(e.advance(to: far.adding(seconds: 10))) == [far.adding(seconds: 5), far.adding(seconds: 10)],
                "every 5 s again from there")
    }

    @Test("a second start while one runs is refused")
    func secondStart() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.control(["op": "muster.start", "mode": "drill"], at: at(0))
        let r = e.control(["op": "muster.start", "mode": "emergency"], at: at(1))
        #expect(throws: RequestError.self) { try r.reply.get() }
        #expect(e.muster?.mode == .drill)
    }

    @Test("status lists the missing, the most dangerous last-known zone first")
    func missingOrder() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -120, -250), pos("T2", 0, -250, -250), pos("T3", 0, -100, 100)])
        _ = e.control(["op": "muster.start", "mode": "emergency", "scope": ["E01"]], at: at(5))
        let status = try e.control(["op": "muster.status"], at: at(30)).reply.get()
        let missing = status["muster"]?["missing_people"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(missing == ["P2", "P1", "P3"], "tank farm (red), warehouse (yellow), then open ground")
        #expect(status["muster"]?["missing_people"]?.arrayValue?.first?["zone"]?["id"] == "Z-TANK")
        #expect(status["muster"]?["missing_people"]?.arrayValue?.first?["age_s"] == 30)
    }

    @Test("the final report: marked by hand, time to 90 % and 100 %, who started and ended it")
    func report() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0), pos("T2", 0, -110, 0)])
        _ = e.control(["op": "muster.start", "mode": "drill", "by": "A"], at: at(0))
        _ = e.run([pos("T1", 30, -375, 325), pos("T1", 40, -375, 326)])
        _ = e.control(["op": "muster.mark", "person": "P2", "by": "gate guard", "note": "left by ambulance"], at: at(50))
        let end = e.control(["op": "muster.end", "by": "B"], at: at(60))
        let report = try end.reply.get()["report"]
        #expect(report?["accounted"] == 2 && report?["missing"] == 0)
        #expect(report?["time_to_90_s"] == 50 && report?["time_to_100_s"] == 50)
        #expect(report?["started_by"] == "A" && report?["ended_by"] == "B")
        #expect(report?["accounted_people"]?.arrayValue?.last?["note"] == "left by ambulance")
        #expect(events(end.outputs, "muster.ended").count == 1)
        #expect(e.muster == nil)
        #expect(try e.control(["op": "muster.list"], at: at(61)).reply.get()["musters"]?.arrayValue?.count == 1)
    }

    @Test("a mark that names no one, or no one vouching, is refused as written, whether or not a muster runs")
    func malformedMark() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        func code(_ r: Value) -> String? {
            if case .failure(let err) = e.control(r, at: at(5)).reply { return err.code }
            return nil
        }
        #expect(code(["op": "muster.mark", "by": "gate guard"]) == "invalid-request", "no muster, and no person: the request is wrong first")
        #expect(code(["op": "muster.mark", "person": "P2"]) == "invalid-request")
        #expect(code(["op": "muster.mark", "person": "P2", "by": "gate guard"]) == "not-found", "well formed, but no muster runs")
        _ = e.control(["op": "muster.start", "mode": "drill", "by": "A"], at: at(6))
        #expect(code(["op": "muster.mark", "person": "P2", "by": ""]) == "invalid-request")
        #expect(e.muster?.roster["P2"]?.accountedAt == nil)
    }

    @Test("someone who comes onto the site during the muster is added and flagged")
    func lateEntry() throws {
        let e = Engine(site: try musterSite(), registry: staff())
        _ = e.run([pos("T1", 0, -100, 0)])
        _ = e.control(["op": "muster.start", "mode": "emergency"], at: at(1))
        _ = e.run([pos("T6", 20, 100, 100)])
        #expect(e.muster?.roster["P6"]?.lateEntry == true)
        #expect(e.muster?.total == 2)
    }

    @Test("a muster survives a restart of the engine with its roster and accountings")
    func restart() throws {
        let site = try musterSite()
        let first = Engine(site: site, registry: staff())
        _ = first.run([pos("T1", 0, -100, 0), pos("T2", 0, -110, 0)])
        _ = first.control(["op": "muster.start", "mode": "emergency", "by": "A"], at: at(1))
        _ = first.run([pos("T1", 10, -375, 325), pos("T1", 20, -375, 326), pos("T2", 20, -200, 100)])
        let snap = first.snapshot()
        let second = Engine(site: site, registry: staff())
        second.restore(snap)
        #expect(second.muster?.accountedCount == 1 && second.muster?.total == 2)
        _ = second.run([pos("T2", 30, -370, 330), pos("T2", 40, -371, 330)])
        let report = try second.control(["op": "muster.end"], at: at(50)).reply.get()["report"]
        #expect(report?["accounted"] == 2 && report?["started_by"] == "A")
    }
}
