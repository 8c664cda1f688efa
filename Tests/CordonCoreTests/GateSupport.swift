import CordonCore
import CordonTestSupport
import Geometry

/// A small park with one gate of every class, a hazmat route and two enterprises, built
/// through the real site loader. Local metres; the fence is the square ±500 m.
///
///     G5 general/off, requires site-safety   G1 general/soft   G2 hazmat/hard   G3 staff/hard   G4 emergency/off
///        (-400, -500)                           (-200, -500)      (0, -500)        (200, -500)      (400, -500)
enum GateSite {
    static func load() throws -> Site {
        // Gate specifications send a few positions far apart: silence and stillness are not their subject.
        var s = TestSite(quiet: ["offline_after_s": 86_400, "man_down_after_s": 86_400])
        s.add(TestSite.feature(kind: "enterprise", id: "E01", geometry: TestSite.polygon(TestSite.rect(-400, 0, 0, 400))))
        s.add(TestSite.feature(kind: "enterprise", id: "E02", geometry: TestSite.polygon(TestSite.rect(0, 0, 400, 400))))
        func gate(_ id: String, _ x: Double, _ cls: String, _ apb: String, _ more: [String: Value] = [:]) {
            var props: [String: Value] = ["class": .string(cls), "anti_passback": .string(apb)]
            props.merge(more) { _, new in new }
            s.add(TestSite.feature(kind: "gate", id: id, geometry: TestSite.point(x, -500), props))
        }
        gate("G1", -200, "general", "soft")
        gate("G2", 0, "hazmat", "hard")
        gate("G3", 200, "staff", "hard")
        gate("G4", 400, "emergency", "off")
        gate("G5", -400, "general", "off", ["requires": ["site-safety"]])
        s.add(TestSite.feature(kind: "route", id: "R1", geometry: TestSite.line([(0, -500), (0, 300)]), ["width_m": 30]))
        s.zone("Z-LAB", TestSite.rect(100, 100, 150, 150), ["name": "Lab"])
        return try s.load()
    }

    /// People and vehicles most gate specifications use.
    static var registry: Registry {
        var r = Registry()
        r.upsert(Person(id: "P1", name: "Li Wei", enterprise: "E01", tag: "T1", card: "C1"))
        r.upsert(Person(id: "P2", name: "Wang Fang", enterprise: "E02", tag: "T2", card: "C2"))
        r.upsert(Person(id: "PB", name: "Banned", enterprise: "E02", card: "CB", blacklisted: true))
        r.upsert(Vehicle(plate: "鲁E12345", kind: .hazmat, enterprise: "E02"))
        r.upsert(Vehicle(plate: "鲁E20001", kind: .general, enterprise: "E01"))
        r.upsert(Vehicle(plate: "鲁E88888", kind: .general, blacklisted: true))
        return r
    }

    static func engine(_ registry: Registry = GateSite.registry) throws -> Engine {
        Engine(site: try load(), registry: registry)
    }
}

/// A gate message at `t` seconds after 2026-11-22T08:00:00Z (16:00 in Shanghai), as ``at(_:)``.
func passage(
    _ gate: String, _ t: Double, _ direction: GatePassage.Direction, _ credential: GatePassage.Credential,
    tag: String? = nil, count: Int? = nil, granted: Bool? = nil
) -> IngestMessage {
    .gate(GatePassage(gate: gate, time: at(t), direction: direction, credential: credential, tag: tag, count: count,
                      granted: granted))
}

/// What one message made the engine publish.
struct Outcome {
    var disposition: Engine.Disposition
    var outputs: [Output]

    /// The `access.<gate>` body, if any.
    var decision: Value? {
        for o in outputs { if case .access(let d) = o { return d.body(site: "test-park") } }
        return nil
    }

    var granted: Bool { decision?["decision"] == "granted" }

    /// The reason codes of the decision, in order.
    var reasons: [String] { decision?["reasons"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? [] }

    var violations: [Violation] {
        outputs.compactMap { if case .violation(let v) = $0 { return v }; return nil }
    }

    /// `kind` of every violation raised.
    var raised: [ViolationKind] { violations.filter { $0.state == .raised }.map(\.kind) }
    var cleared: [ViolationKind] { violations.filter { $0.state == .cleared }.map(\.kind) }
}

extension Engine {
    /// Handles one message and says what came out.
    @discardableResult
    func pass(_ m: IngestMessage) -> Outcome {
        let handled = handle(m)
        return Outcome(disposition: handled.disposition, outputs: handled.outputs)
    }

    /// A control request's reply members, or the error.
    func ask(_ request: Value, at t: Double) throws -> [String: Value] {
        try control(request, at: at(t)).reply.get()
    }
}
