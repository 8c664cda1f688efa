import CordonCore
import CordonTestSupport
import Foundation
import Testing

/// A deterministic generator for scatter with a known distribution (SplitMix64).
struct Scatter {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    /// A point at distance r from the origin, r uniform in [0, maxR), in a uniform direction.
    mutating func offset(maxR: Double) -> (dx: Double, dy: Double, r: Double) {
        let r = next() * maxR, a = next() * 2 * .pi
        return (r * cos(a), r * sin(a), hypot(r * cos(a), r * sin(a)))
    }
}

/// Nearest-rank percentile of exact values: the independent computation.
func nearestRank(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    return s[max(0, Int((q * Double(s.count)).rounded(.up)) - 1)]
}

@Suite("The accuracy report: reference tags measure the static error, the verdict follows AQ 3064.3")
struct PositioningReportTests {
    static func site() throws -> Site {
        var s = TestSite()
        s.zone("Z-YARD", TestSite.rect(0, 0, 100, 100), ["name": "Drum yard", "risk": "yellow"])
        s.zone("Z-TANK", TestSite.rect(200, 0, 300, 100), ["name": "Tank farm", "risk": "red"])
        return try s.load()
    }

    static func withReferences(_ e: Engine) throws {
        let r = e.control(["op": "registry.upsert",
                           "references": [["id": "REF-Y", "tag": "TREF-Y", "x": 50, "y": 50],
                                          ["id": "REF-T", "tag": "TREF-T", "x": 250, "y": 50, "level": 0]]], at: at(0))
        #expect(try r.reply.get()["references"] == 2)
    }

    /// One fix a second for an hour from each reference tag, scattered uniformly in radius up to
    /// `maxR` around the surveyed point; returns the exact errors of each. A worker in each zone
    /// reports ±0.5 m at 1 Hz, so that the dynamic figure is measured too.
    static func scatter(_ e: Engine, maxR: Double, seed: UInt64) -> (yard: [Double], tank: [Double]) {
        var g = Scatter(state: seed)
        var yard: [Double] = [], tank: [Double] = []
        for i in 0..<3600 {
            let a = g.offset(maxR: maxR), b = g.offset(maxR: maxR)
            _ = e.handle(fix("TREF-Y", Double(i), 50 + a.dx, 50 + a.dy, accuracy: 0.5))
            _ = e.handle(fix("TREF-T", Double(i) + 0.5, 250 + b.dx, 50 + b.dy, accuracy: 0.5))
            _ = e.handle(fix("TW-Y", Double(i) + 0.25, 30, 30, accuracy: 0.5))
            _ = e.handle(fix("TW-T", Double(i) + 0.75, 230, 30, accuracy: 0.5))
            yard.append(a.r)
            tank.append(b.r)
        }
        return (yard, tank)
    }

    static func report(_ e: Engine) throws -> Value {
        try #require(try e.control(["op": "report.positioning", "from": .time(at(0)), "to": .time(at(3600))], at: at(3600)).reply.get()["report"])
    }

    static func row(_ r: Value, _ zone: String) -> Value? { r["zones"]?.arrayValue?.first { $0["zone"]?.stringValue == zone } }

    @Test("static error p50, p95 and max match the errors computed here, to the report's 5 cm buckets (never below)")
    func figuresMatch() throws {
        let e = Engine(site: try Self.site())
        try Self.withReferences(e)
        let truth = Self.scatter(e, maxR: 2.0, seed: 7)
        let r = try Self.report(e)
        for (zone, errors) in [("Z-YARD", truth.yard), ("Z-TANK", truth.tank)] {
            let s = try #require(Self.row(r, zone)?["static_error_m"])
            #expect(s["fixes"] == .int(3600))
            for (q, key) in [(0.5, "p50"), (0.95, "p95")] {
                let exact = nearestRank(errors, q)
                let got = try #require(s[key]?.numberValue)
                #expect(got >= exact.rounded(toPlaces: 2) - 0.005 && got <= exact + 0.05 + 0.005, "\(zone) \(key): \(got) vs exact \(exact)")
            }
            let max = try #require(s["max"]?.numberValue)
            #expect(abs(max - errors.max()!) < 0.006, "the maximum is exact (to the centimetre of the reply)")
        }
    }

    @Test("the verdict flips where the scatter crosses the requirement: yellow holds ±3 m, red its 1 m")
    func verdictFlips() throws {
        // Uniform in radius to maxR: p95 ≈ 0.95 maxR.
        for (maxR, yard, tank) in [(0.8, "pass", "pass"), (2.0, "pass", "fail"), (3.4, "fail", "fail")] {
            let e = Engine(site: try Self.site())
            try Self.withReferences(e)
            _ = Self.scatter(e, maxR: maxR, seed: 11)
            let r = try Self.report(e)
            #expect(Self.row(r, "Z-YARD")?["verdict"] == .string(yard), "yard, scatter up to \(maxR) m")
            #expect(Self.row(r, "Z-TANK")?["verdict"] == .string(tank), "tank, scatter up to \(maxR) m")
            #expect(r["verdict"] == .string(yard == "pass" && tank == "pass" ? "pass" : "fail"))
        }
    }

    @Test("dynamic figures: reported accuracy, share within the requirement, update intervals and gaps")
    func dynamicFigures() throws {
        var s = TestSite()
        s.zone("Z-YARD", TestSite.rect(0, 0, 100, 100), ["risk": "yellow"])
        s.cordon["defaults"] = ["positioning_gap_s": 5]
        let e = Engine(site: try s.load())
        var acc: [Double] = []
        var t = 0.0
        for i in 0..<200 {
            let a = i % 10 == 0 ? 4.0 : 0.3 + Double(i % 5) * 0.1
            acc.append(a)
            _ = e.handle(fix("T9", t, 50, 50, accuracy: a))
            t += i == 100 ? 12 : 1
        }
        let r = try #require(try e.control(["op": "report.positioning", "from": .time(at(0)), "to": .time(at(3600))], at: at(300)).reply.get()["report"])
        let yard = try #require(Self.row(r, "Z-YARD"))
        #expect(yard["fixes"] == 200 && yard["rated_fixes"] == 200)
        #expect(yard["accuracy_m"]?["p50"]?.numberValue == nearestRank(acc, 0.5).rounded(toPlaces: 2))
        #expect(yard["accuracy_m"]?["p95"]?.numberValue == nearestRank(acc, 0.95).rounded(toPlaces: 2))
        #expect(yard["within_requirement"] == 0.9, "one fix in ten is ±4 m against the yellow zone's 3 m")
        #expect(yard["interval_s"]?["p50"] == 1)
        #expect(yard["gaps"] == 1 && yard["longest_gap_s"] == 12)
        #expect(yard["verdict"] == "incomplete", "no reference tag: the static error is not measured")
    }

    @Test("reference tags are no one: no unknown-tag, no headcount, no presence, no zone; registry.get lists them")
    func referencesAreNoOne() throws {
        var s = TestSite()
        s.zone("Z-TANK", TestSite.rect(0, 0, 100, 100), ["risk": "red", "access": "forbidden", "max_people": 1])
        let e = Engine(site: try s.load())
        _ = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TR1", "x": 50, "y": 50]]], at: at(0))
        let out = e.run([fix("TR1", 1, 50.4, 50, accuracy: 0.3), fix("TR1", 2, 49.8, 50.1, accuracy: 0.3)])
        #expect(out.isEmpty, "inside a forbidden zone, yet no one: nothing raised")
        _ = e.advance(to: at(600))
        #expect(e.alarms.active.isEmpty, "not unknown, not offline")
        #expect(try e.control(["op": "headcount"], at: at(600)).reply.get()["total_in_zones"] == 0)
        #expect(e.state(of: .tag("TR1")) == nil)
        let got = try e.control(["op": "registry.get", "reference": "REF-1"], at: at(600)).reply.get()
        #expect(got["reference"]?["x"] == 50 && got["reference"]?["last_fix"] == .time(at(2)))
        #expect(try e.control(["op": "registry.get"], at: at(600)).reply.get()["references"]?.arrayValue?.count == 1)
    }

    @Test("a reference record with bad numbers, or a tag someone carries, is refused and changes nothing")
    func badReferences() throws {
        var reg = Registry()
        reg.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try Self.site(), registry: reg)
        for bad: Value in [["id": "R", "tag": "TR", "x": 1], ["id": "R", "tag": "TR", "x": 1e9, "y": 0],
                           ["id": "R", "tag": "T1", "x": 1, "y": 1], ["tag": "TR", "x": 1, "y": 1],
                           ["id": "R", "tag": "TR", "x": 1, "y": 1, "level": 1.5]] {
            let r = e.control(["op": "registry.upsert", "references": [["id": "OK", "tag": "TOK", "x": 0, "y": 0], bad]], at: at(0))
            guard case .failure(let err) = r.reply else { Issue.record("\(bad) was taken"); continue }
            #expect(!err.message.isEmpty)
        }
        #expect(e.registry.references.isEmpty, "the good record of a refused request was not applied either")
        _ = e.control(["op": "registry.upsert", "references": [["id": "R1", "tag": "TR1", "x": 1, "y": 1]]], at: at(1))
        let taken = e.control(["op": "registry.upsert", "people": [["id": "P2", "tag": "TR1"]]], at: at(2))
        guard case .failure(let err) = taken.reply else { Issue.record("a person was given a reference tag's tag"); return }
        #expect(err.code == "conflict" && e.registry.people["P2"] == nil)
    }

    @Test("the report's window is checked: from before to, at most 31 days")
    func window() throws {
        let e = Engine(site: try Self.site())
        #expect(throws: RequestError.self) { try e.control(["op": "report.positioning", "from": .time(at(10)), "to": .time(at(0))], at: at(10)).reply.get() }
        #expect(throws: RequestError.self) { try e.control(["op": "report.positioning", "from": .time(at(0)), "to": .time(at(40 * 86_400))], at: at(10)).reply.get() }
        #expect(try e.control(["op": "report.positioning"], at: at(10)).reply.get()["report"]?["verdict"] == "not-measured")
        #expect(throws: RequestError.self, "a time that is no time") { try e.control(["op": "report.positioning", "to": "yesterday"], at: at(10)).reply.get() }
        #expect(throws: RequestError.self, "`until` is read as `to`") { try e.control(["op": "report.positioning", "until": 1e300], at: at(10)).reply.get() }
        #expect(throws: RequestError.self) { try e.control(["op": "report.positioning", "from": .null], at: at(10)).reply.get() }
    }
}

@Suite("positioning-degraded: a zone whose fixes go bad, or stop")
struct PositioningDegradedTests {
    static func site() throws -> Site {
        var s = TestSite()
        s.zone("Z-TANK", TestSite.rect(0, 0, 100, 100), ["name": "Tank farm", "risk": "red"])
        return try s.load()
    }

    static func registry() -> Registry {
        var r = Registry()
        for i in 1...3 { r.upsert(Person(id: "P\(i)", tag: "T\(i)")) }
        return r
    }

    @Test("most fixes worse than the red zone's 1 m for a window raises it; a window of good fixes clears it")
    func poorFixes() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        var out: [Violation] = []
        // 0–120 s good (±0.3 m), 120–240 s an anchor dies (±3 m), then good again; three people at 1 Hz.
        for s in 0..<400 {
            let a = (120..<240).contains(s) ? 3.0 : 0.3
            for i in 1...3 { out += e.run([fix("T\(i)", Double(s), 20 + Double(i) * 10, 50, accuracy: a)]) }
        }
        out += e.advance(to: at(420)).compactMap { if case .violation(let v) = $0 { return v } else { return nil } }
        let d = out.filter { $0.kind == .positioningDegraded }
        #expect(d.map(\.state) == [.raised, .cleared])
        let raised = try #require(d.first)
        let cleared = try #require(d.last)
        #expect(raised.subject.kind == "zone" && raised.subject.id == "Z-TANK" && raised.zoneID == "Z-TANK")
        // Windows are whole minutes of the epoch: the one ending at 180 s holds 60 s of ±3 m fixes.
        #expect(raised.time == at(180) && raised.details["poor_fixes"] == 180 && raised.details["fixes"] == 180)
        #expect(cleared.time == at(300) && cleared.id == raised.id, "the window 240–300 s is good again")
        #expect(raised.severity == .major)
    }

    @Test("people in the zone stop being positioned: raised; positioned again: cleared")
    func silentPeople() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        var out: [Violation] = []
        for s in 0..<60 { for i in 1...3 { out += e.run([fix("T\(i)", Double(s), 20 + Double(i) * 10, 50, accuracy: 0.3)]) } }
        // Two of the three go dark behind a wall of steel for two minutes; the third keeps reporting.
        for s in 60..<180 { out += e.run([fix("T3", Double(s), 50, 50, accuracy: 0.3)]) }
        for s in 180..<300 { for i in 1...3 { out += e.run([fix("T\(i)", Double(s), 20 + Double(i) * 10, 50, accuracy: 0.3)]) } }
        let d = out.filter { $0.kind == .positioningDegraded }
        #expect(d.map(\.state) == [.raised, .cleared])
        #expect(d.first?.time == at(120) && d.first?.details["unpositioned"] == ["P1", "P2"])
        #expect(d.last?.time == at(180), "the window ending at 180 s holds their first fixes back, at 180 s")
    }

    @Test("the whole zone goes dark and the next line is dated 260 years on: raised at its own time, in one step")
    func silentAcrossAClockJump() throws {
        // A replayed file with a line far in the future once made the engine close one window
        // per minute across the gap, 138 million of them, before going on.
        func degraded(_ out: [Output]) -> [Violation] {
            out.compactMap { if case .violation(let v) = $0, v.kind == .positioningDegraded { return v } else { return nil } }
        }
        let e = Engine(site: try Self.site(), registry: Self.registry())
        for s in 0..<60 { for i in 1...3 { _ = e.run([fix("T\(i)", Double(s), 20 + Double(i) * 10, 50, accuracy: 0.3)]) } }
        let far = Instant(milliseconds: 10_000_000_000_000)
        let jumped = degraded(e.advance(to: far))
        #expect(jumped.map(\.state) == [.raised])
        #expect(jumped.first?.time == at(120), "silent for 30 s by the window ending at 120 s, as without the jump")
        #expect(e.alarms.isRaised(.positioningDegraded, .zone("Z-TANK"), scope: "Z-TANK"))
        var back: [Violation] = []
        for s in 1...120 { for i in 1...3 { back += e.run([fix("T\(i)", 10_000_000_000 + Double(s), 20 + Double(i) * 10, 50, accuracy: 0.3)]) } }
        #expect(back.filter { $0.kind == .positioningDegraded }.map(\.state) == [.cleared], "positioned again on the far side: cleared")
    }

    @Test("fixes without accuracy_m never degrade a zone")
    func noAccuracyNoAlarm() throws {
        let e = Engine(site: try Self.site(), registry: Self.registry())
        var out: [Violation] = []
        for s in 0..<300 { out += e.run([fix("T1", Double(s), 50, 50, accuracy: nil)]) }
        #expect(out.filter { $0.kind == .positioningDegraded }.isEmpty)
    }
}

@Suite("The report's figures across hours and site reloads")
struct PositioningQualityHoursTests {
    @Test("figures of several hours add up, a fix late across an hour boundary counts in its hour, a reload keeps them")
    func hours() throws {
        var s = TestSite()
        s.zone("Z-YARD", TestSite.rect(0, 0, 100, 100), ["risk": "yellow"])
        let site = try s.load()
        let e = Engine(site: site)
        _ = e.handle(fix("TA", 3599, 50, 50, accuracy: 1))
        _ = e.handle(fix("TB", 3601, 50, 50, accuracy: 2))
        #expect(e.handle(fix("TA", 3598, 50, 50, accuracy: 9)).disposition == .late, "older than TA's newest: dropped")
        _ = e.handle(fix("TC", 3599.8, 50, 50, accuracy: 4))   // another tag, back in the first hour
        _ = e.replace(site: try s.load())
        _ = e.handle(fix("TB", 7300, 50, 50, accuracy: 2))
        func yard(_ from: Double, _ to: Double) throws -> Value? {
            try e.control(["op": "report.positioning", "from": .time(at(from)), "to": .time(at(to))], at: at(7300)).reply.get()["report"]?["zones"]?.arrayValue?.first
        }
        #expect(try yard(0, 3600)?["fixes"] == 2, "the first hour: TA at 3599 s and TC at 3599.8 s")
        #expect(try yard(0, 3600)?["accuracy_m"]?["p95"] == 4)
        #expect(try yard(3600, 7200)?["fixes"] == 1)
        #expect(try yard(0, 10_800)?["fixes"] == 4, "three hours, across the reload")
    }
}
