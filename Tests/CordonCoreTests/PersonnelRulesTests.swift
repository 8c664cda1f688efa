import CordonCore
import CordonTestSupport
import Testing

/// A park with one of each personnel rule, for the tests below.
private func personnelSite() throws -> Site {
    var s = TestSite()
    s.cordon["defaults"] = ["offline_after_s": 600, "man_down_after_s": 120, "man_down_cancel_s": 30, "low_battery_pct": 10,
                            "lone_worker_grace_s": 60, "guardian_distance_m": 15, "understaffed_after_s": 60]
    s.zone("Z-TANK", TestSite.rect(0, 0, 100, 100), ["risk": "red", "access": "permit", "requires": ["hot-work"],
                                                     "two_person": true, "max_stay_min": 30, "permit_kinds": ["hot-work", "confined-space"]])
    s.zone("Z-PUMP", TestSite.rect(200, 0, 300, 100), ["risk": "orange", "crowding": ["radius_m": 15, "min_people": 5, "duration_s": 60]])
    s.zone("Z-CR", TestSite.rect(-200, -200, -150, -150), ["risk": "blue", "min_people": 1, "max_people": 8])
    s.zone("Z-CANTEEN", TestSite.rect(-300, 200, -250, 250), ["risk": "blue"])
    return try s.load()
}

private func personnel() -> Registry {
    var r = Registry()
    for i in 1...9 { r.upsert(Person(id: "P\(i)", name: "Worker \(i)", role: "fitter", tag: "T\(i)")) }
    r.upsert(Person(id: "P-OP", name: "Operator", role: "operator", tag: "T-OP"))
    return r
}

private func violations(_ outputs: [Output]) -> [Violation] {
    outputs.compactMap { if case .violation(let v) = $0 { return v }; return nil }
}

private func alert(_ tag: String, _ t: Double, _ kind: TagAlert.Kind) -> IngestMessage {
    .alert(TagAlert(tag: tag, time: at(t), kind: kind))
}

private func still(_ tag: String, _ t: Double, _ x: Double, _ y: Double) -> IngestMessage {
    .position(PositionReport(source: .tag(tag), time: at(t), place: .local(x: x, y: y, frame: nil), moving: false))
}

/// An engine whose control room is staffed, so understaffing does not interfere.
private func engine() throws -> Engine {
    let e = Engine(site: try personnelSite(), registry: personnel())
    _ = e.run([pos("T-OP", 0, -175, -175)])
    return e
}

/// Keeps the operator's tag talking so it does not go silent in long tests.
private func operatorHeartbeat(_ from: Double, _ to: Double) -> [IngestMessage] {
    stride(from: from, through: to, by: 30).map { pos("T-OP", $0, -175, -175) }
}

@Suite("The clock alone raises what falls due")
struct ClockDrivenTests {
    @Test("with no input at all, overstay, tag-offline and man-down are raised at the instant they fall due")
    func noInput() throws {
        var s = TestSite()
        s.zone("Z-W", TestSite.rect(0, 0, 50, 50), ["max_stay_min": 1])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        let e = Engine(site: try s.load(), registry: r)
        _ = e.run([still("T1", 0, 10, 10)])
        let out = violations(e.advance(to: at(600)))
        #expect(out.map(\.kind) == [.overstay, .tagOffline, .manDown])
        #expect(out.map(\.time) == [at(60), at(60), at(150)])
    }
}

@Suite("Work permits (作业票)")
struct PermitTests {
    static func welderPermit(_ e: Engine, until: Double, guardians: [Value] = []) throws -> [Violation] {
        let r = e.control(["op": "permit.create", "id": "WP7", "kind": "hot-work", "zone": "Z-TANK", "workers": ["P1"],
                           "guardians": .array(guardians), "window": ["from": .time(at(0)), "until": .time(at(until))]], at: at(1))
        _ = try r.reply.get()
        return violations(r.outputs)
    }

    @Test("a welder with a permit is allowed; when it runs out while he is inside he is in violation from that instant")
    func expires() throws {
        let e = try engine()
        _ = try Self.welderPermit(e, until: 600, guardians: ["P2"])
        var out = e.run(merged([pos("T1", 10, 50, 50), pos("T2", 10, 52, 50)], operatorHeartbeat(30, 600)))
        #expect(out.isEmpty)
        out = e.run([pos("T1", 610, 50, 51), pos("T2", 610, 52, 50)])
        let raised = out.filter { $0.kind == .restrictedZone }
        #expect(raised.map(\.subject.id) == ["P1", "P2"], "worker and guardian both lose the permit")
        #expect(raised.allSatisfy { $0.time == at(600) }, "raised at the permit's end, not at the next position")
    }

    @Test("closing a permit with the worker inside raises at the close; a new permit clears it")
    func closeAndReissue() throws {
        let e = try engine()
        _ = try Self.welderPermit(e, until: 3600)
        _ = e.run([pos("T1", 10, 50, 50), pos("T2", 10, 51, 50)])
        let closed = e.control(["op": "permit.close", "id": "WP7", "by": "area supervisor"], at: at(20))
        #expect(violations(closed.outputs).map(\.kind) == [.restrictedZone])
        #expect(violations(closed.outputs).first?.time == at(20))
        let again = e.control(["op": "permit.create", "id": "WP8", "kind": "hot-work", "zone": "Z-TANK", "workers": ["P1"],
                               "window": ["from": .time(at(20)), "until": .time(at(3600))]], at: at(30))
        #expect(violations(again.outputs).map(\.state) == [.cleared])
    }

    @Test("permits are validated: unknown kind, kind the zone does not take, unknown worker, a window that ends before it starts")
    func validation() throws {
        let e = try engine()
        func create(_ fields: [String: Value]) -> RequestError? {
            var r: [String: Value] = ["op": "permit.create", "kind": "hot-work", "zone": "Z-TANK", "workers": ["P1"],
                                      "window": ["from": .time(at(0)), "until": .time(at(60))]]
            r.merge(fields) { _, n in n }
            if case .failure(let err) = e.control(.object(r), at: at(1)).reply { return err }
            return nil
        }
        #expect(create(["kind": "welding"])?.message.contains("unknown permit kind") == true)
        #expect(create(["kind": "lifting"])?.message.contains("takes only") == true)
        #expect(create(["workers": ["P404"]])?.code == "not-found")
        #expect(create(["zone": "Z-NOPE"])?.code == "not-found")
        #expect(create(["window": ["from": .time(at(60)), "until": .time(at(0))]])?.message.contains("before it starts") == true)
        #expect(create([:]) == nil)
    }

    @Test("a guardian who walks off to the canteen leaves the worker alone: raised after the grace, cleared when back")
    func guardianLeaves() throws {
        let e = try engine()
        _ = try Self.welderPermit(e, until: 3600, guardians: ["P2"])
        _ = e.run([pos("T1", 10, 50, 50), pos("T2", 10, 55, 50)])
        var out = e.run([pos("T2", 100, -280, 220), pos("T1", 100, 50, 50)] + [pos("T1", 130, 50, 51), pos("T2", 130, -280, 221)])
        #expect(out.isEmpty, "within the 60 s grace")
        out = e.run([pos("T1", 170, 50, 50)])
        let lone = out.filter { $0.kind == .loneWorker }
        #expect(Set(lone.map(\.scope)) == ["permit:WP7", "Z-TANK"], "no guardian in reach, and alone in a two-person zone")
        let unguarded = try #require(lone.first { $0.scope == "permit:WP7" })
        #expect(unguarded.time == at(160) && unguarded.details["permit"] == "WP7" && unguarded.details["nearest_guardian_m"] != nil)
        out = e.run([pos("T2", 200, 60, 50)])
        #expect(out.filter { $0.kind == .loneWorker }.map(\.state) == [.cleared, .cleared])
    }
}

@Suite("Lone work, crowding, understaffing")
struct ZoneCountTests {
    @Test("one person alone in a two-person zone for more than the grace")
    func alone() throws {
        var s = TestSite()
        s.zone("Z-CS", TestSite.rect(0, 0, 20, 20), ["two_person": true])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        r.upsert(Person(id: "P2", tag: "T2"))
        let e = Engine(site: try s.load(), registry: r)
        var out = e.run([pos("T1", 0, 5, 5), pos("T2", 0, 6, 6), pos("T2", 30, 50, 50), pos("T1", 60, 5, 5), pos("T2", 60, 50, 51)])
        #expect(out.isEmpty)
        out = e.run([pos("T1", 100, 5, 5), pos("T2", 100, 50, 50)])
        #expect(out.map(\.kind) == [.loneWorker] && out.first?.time == at(90), "alone since 30 s, grace 60 s")
        out = e.run([pos("T2", 110, 6, 6)])
        #expect(out.map(\.state) == [.cleared] && out.first?.time == at(110))
    }

    @Test("a crowd of five gathers at the pump for two minutes: raised after 60 s, once, cleared when it breaks up")
    func crowd() throws {
        let e = try engine()
        let gather = (1...5).map { pos("T\($0)", 0, 250 + Double($0) * 2, 50) }
        var out = e.run(gather + (1...5).map { pos("T\($0)", 30, 250 + Double($0) * 2, 51) })
        #expect(out.isEmpty)
        out = e.run((1...5).map { pos("T\($0)", 90, 250 + Double($0) * 2, 50) })
        let v = try #require(out.first)
        #expect(out.count == 1 && v.kind == .crowding && v.time == at(60))
        #expect(v.details["count"] == 5 && v.details["people"] == ["P1", "P2", "P3", "P4", "P5"])
        out = e.run([pos("T1", 120, 210, 90), pos("T2", 120, 290, 10)])
        #expect(out.map(\.state) == [.cleared] && out.first?.time == at(120))
    }

    @Test("four people spread across the pump house are not a crowd")
    func notACrowd() throws {
        let e = try engine()
        let out = e.run((1...5).map { pos("T\($0)", 0, 205 + Double($0) * 18, 50) } + (1...5).map { pos("T\($0)", 90, 205 + Double($0) * 18, 50) })
        #expect(out.isEmpty)
    }

    @Test("a control room left empty is understaffed after the grace; cleared when someone is back")
    func understaffed() throws {
        let e = Engine(site: try personnelSite(), registry: personnel())
        var out = e.run([pos("T-OP", 0, -175, -175), pos("T-OP", 30, -100, -100), pos("T-OP", 60, -100, -101)])
        #expect(out.isEmpty)
        out = violations(e.advance(to: at(95)))
        #expect(out.map(\.kind) == [.understaffed] && out.first?.time == at(90))
        out = e.run([pos("T-OP", 100, -175, -175)])
        #expect(out.map(\.state) == [.cleared])
    }
}

@Suite("Man-down, alerts, silence, battery")
struct TagTests {
    @Test("a worker collapses: no movement for 120 s, no cancel within 30 s: man-down at 150 s; moving clears it")
    func collapse() throws {
        let e = try engine()
        let lying = stride(from: 0.0, through: 170, by: 10).map { still("T1", $0, 400, 400) }
        let out = e.run(merged(lying, operatorHeartbeat(0, 170)))
        #expect(out.map(\.kind) == [.manDown] && out.first?.time == at(150))
        #expect(out.first?.severity == .critical)
        let up = e.run([pos("T1", 180, 405, 400)])
        #expect(up.map(\.state) == [.cleared])
    }

    @Test("a false man-down is cancelled from the tag within the window: nothing raised")
    func cancelled() throws {
        let e = try engine()
        let sitting = stride(from: 0.0, through: 200, by: 10).map { still("T2", $0, 400, 400) }
        let out = e.run(merged(sitting, [alert("T2", 135, .cancel)], operatorHeartbeat(0, 200)))
        #expect(out.isEmpty, "the cancel at 135 s restarts the count; the next raise would be at 285 s")
    }

    @Test("small jitter of a tag lying still is not movement")
    func jitterIsStill() throws {
        let e = try engine()
        // No accelerometer (`moving` absent): ±0.3 m of positioning noise is not movement.
        let lying = stride(from: 0.0, through: 160, by: 10).map { i in
            IngestMessage.position(PositionReport(source: .tag("T1"), time: at(i), place: .local(x: 400 + (i.truncatingRemainder(dividingBy: 20) == 0 ? 0.3 : -0.3), y: 400, frame: nil)))
        }
        #expect(e.run(merged(lying, operatorHeartbeat(0, 160))).map(\.kind) == [.manDown])
    }

    @Test("an SOS is raised at once and acknowledged by the control room")
    func sos() throws {
        let e = try engine()
        _ = e.run([pos("T3", 0, 10, 400)])
        let raised = e.run([alert("T3", 5, .sos)])
        #expect(raised.map(\.kind) == [.sos] && raised.first?.severity == .critical && raised.first?.position?.x == 10)
        let ack = e.control(["op": "alarms.ack", "id": .string(raised[0].id), "by": "control room Li"], at: at(20))
        let cleared = violations(ack.outputs)
        #expect(cleared.map(\.state) == [.cleared] && cleared.first?.details["acknowledged_by"] == "control room Li")
    }

    @Test("a fall waits out the cancel window; a cancel in time stops it")
    func fall() throws {
        let e = try engine()
        _ = e.run([pos("T4", 0, 10, 400), pos("T5", 0, 20, 400)])
        var out = e.run([alert("T4", 10, .fall), alert("T5", 10, .fall), alert("T5", 25, .cancel)])
        #expect(out.isEmpty)
        out = violations(e.advance(to: at(45)))
        #expect(out.map(\.subject.id) == ["P4"] && out.first?.time == at(40) && out.first?.kind == .fall)
        out = e.run([alert("T4", 50, .cancel)])
        #expect(out.map(\.state) == [.cleared])
    }

    @Test("a tag dies in the warehouse: offline at the last position after offline_after_s; the next position clears it")
    func offline() throws {
        let e = try engine()
        var out = e.run(merged([pos("T6", 0, 10, 300), pos("T6", 20, 12, 300)], operatorHeartbeat(0, 630)))
        #expect(out.map(\.kind) == [.tagOffline] && out.first?.time == at(620) && out.first?.position?.x == 12)
        out = e.run([pos("T6", 640, 12, 300)])
        #expect(out.map(\.state) == [.cleared] && out.first?.time == at(640))
    }

    @Test("a subject whose last position was outside the fence has left and is not flagged as silent")
    func leftSite() throws {
        let e = try engine()
        _ = e.run([pos("T7", 0, 600, 0)])
        #expect(violations(e.advance(to: at(900))).filter { $0.kind == .tagOffline && $0.subject.id == "P7" }.isEmpty)
    }

    @Test("low battery is raised under the threshold and cleared 5 points above it")
    func battery() throws {
        let e = try engine()
        func b(_ t: Double, _ pct: Double) -> IngestMessage {
            .position(PositionReport(source: .tag("T8"), time: at(t), place: .local(x: 0, y: 300, frame: nil), batteryPct: pct, moving: true))
        }
        let out = e.run([b(0, 12), b(1, 9), b(2, 11), b(3, 9), b(4, 16)])
        #expect(out.map(\.state) == [.raised, .cleared])
        #expect(out.first?.subject.kind == "tag" && out.first?.details["carrier"] == "person:P8")
    }

    @Test("a zone's max_stay_min: raised when the stay reaches it, cleared on exit")
    func overstay() throws {
        let e = try engine()
        _ = try PermitTests.welderPermit(e, until: 7200, guardians: ["P2"])
        let inside = stride(from: 0.0, through: 1850, by: 50).flatMap { [pos("T1", $0, 50, 50), pos("T2", $0, 52, 50), pos("T-OP", $0, -175, -175)] }
        let out = e.run(inside)
        #expect(out.filter { $0.kind == .overstay }.map(\.subject.id) == ["P1", "P2"])
        #expect(out.filter { $0.kind == .overstay }.allSatisfy { $0.time == at(1800) })
    }
}

@Suite("Site validation of personnel settings")
struct PersonnelSiteTests {
    @Test("an unknown permit kind in a zone is refused with the zone's id")
    func permitKinds() throws {
        var s = TestSite()
        s.zone("Z-X", TestSite.rect(0, 0, 10, 10), ["permit_kinds": ["hot-work", "welding"]])
        let e = try #require(throws: SiteError.self) { try s.load() }
        #expect(e.problems.map(\.feature) == ["Z-X"] && e.problems[0].message.contains("welding"))
    }
}

@Suite("A site reload keeps the timed rules going")
struct ReloadTests {
    @Test("someone alone in a two-person zone is still flagged after a reload; a pending fall still falls due")
    func reload() throws {
        var s = TestSite()
        s.zone("Z-CS", TestSite.rect(0, 0, 20, 20), ["two_person": true])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        r.upsert(Person(id: "P2", tag: "T2"))
        let e = Engine(site: try s.load(), registry: r)
        _ = e.run([pos("T1", 0, 5, 5), pos("T2", 0, 100, 100), alert("T2", 5, .fall)])
        _ = e.replace(site: try s.load())
        let out = violations(e.advance(to: at(70)))
        #expect(Set(out.map(\.kind)).isSuperset(of: [.loneWorker, .fall]))
    }

    @Test("alarms about a zone the new site no longer has are cleared")
    func removedZone() throws {
        var s = TestSite()
        s.zone("Z-CR", TestSite.rect(0, 0, 20, 20), ["max_people": 1])
        var r = Registry()
        r.upsert(Person(id: "P1", tag: "T1"))
        r.upsert(Person(id: "P2", tag: "T2"))
        let e = Engine(site: try s.load(), registry: r)
        #expect(e.run([pos("T1", 0, 5, 5), pos("T2", 0, 6, 6)]).map(\.kind) == [.overcrowding])
        let cleared = violations(e.replace(site: try TestSite().load()))
        #expect(cleared.map(\.state) == [.cleared] && cleared.first?.details["ended"] == "zone removed from the site")
    }
}

@Suite("Tamper")
struct TamperTests {
    @Test("a tag reporting tamper is raised at once and ends only when acknowledged")
    func tamper() throws {
        let e = Engine(site: try personnelSite(), registry: personnel())
        _ = e.run([pos("T9", 0, 10, 400)])
        let raised = e.run([alert("T9", 3, .tamper), alert("T9", 4, .cancel)])
        #expect(raised.map(\.kind) == [.tamper] && raised.first?.time == at(3), "cancel does not end a tamper")
        let ack = e.control(["op": "alarms.ack", "id": .string(raised[0].id), "by": "security"], at: at(10))
        #expect(violations(ack.outputs).map(\.state) == [.cleared])
    }
}
