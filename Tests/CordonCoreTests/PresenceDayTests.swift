import CordonCore
import CordonTestSupport
import Testing

@Suite("Presence over a whole day: thousands of passages, every count exact")
struct PresenceDayTests {
    /// What the park's own paper log would say: who is inside, since when, through which gate.
    struct Model {
        var inside: [SubjectKey: (since: Instant, gate: String, enterprise: String?)] = [:]
        var granted = 0
        var denied = 0

        /// Applies one passage with the rules of the gate's anti-passback mode; returns whether it is granted.
        mutating func apply(_ key: SubjectKey, _ dir: GatePassage.Direction, gate: String, hard: Bool, t: Instant,
                            enterprise: String?, refused: Bool) {
            let isInside = inside[key] != nil
            var ok = !(refused && dir == .in)
            if hard && ((dir == .in && isInside) || (dir == .out && !isInside)) { ok = false }
            if ok {
                granted += 1
                if dir == .in, !isInside { inside[key] = (t, gate, enterprise) }
                if dir == .out { inside[key] = nil }
            } else {
                denied += 1
            }
        }
    }

    struct Event {
        var t: Int64
        var message: IngestMessage?
        var booking: Value?
    }

    @Test("a simulated day of a 1,500-person, 230-vehicle park: the ledger matches the model at every checkpoint")
    func day() throws {
        var rng = SplitMix(state: 20_261_122)  // the same day every run
        let enterprises = ["E01", "E02", "E03", "E04", "E05"]
        var registry = Registry()
        var peopleEnterprise: [String: String] = [:]
        var banned = Set<String>()
        for i in 0..<1500 {
            let id = "P\(10000 + i)", ent = enterprises[i % 5]
            let isBanned = i % 97 == 0
            if isBanned { banned.insert(id) }
            registry.upsert(Person(id: id, enterprise: ent, tag: "T\(10000 + i)", card: "C\(10000 + i)", blacklisted: isBanned))
            peopleEnterprise[id] = ent
        }
        var plates: [(plate: String, hazmat: Bool, enterprise: String?)] = []
        for i in 0..<200 {
            let plate = "鲁E\(10000 + i)", hazmat = i % 4 == 0, ent = enterprises[i % 5]
            registry.upsert(Vehicle(plate: plate, kind: hazmat ? .hazmat : .general, enterprise: ent))
            plates.append((plate, hazmat, ent))
        }
        for i in 0..<30 { plates.append(("冀J\(20000 + i)", true, nil)) }  // visitors: no registry, a booking per trip

        let site = try GateSite.load()
        let engine = Engine(site: site, registry: registry)
        // Midnight to midnight, Shanghai: at(-8 h) … at(16 h).
        let dayStart: Int64 = at(-8 * 3600).milliseconds, dayLength: Int64 = 86_400_000
        var events: [Event] = []
        var bookingNo = 0
        // People: one to three visits; a few stay overnight; some swipe twice or leave by the wrong record.
        for i in 0..<1500 {
            let id = "P\(10000 + i)"
            var t = dayStart + Int64(rng.int(0..<4 * 3_600_000))
            for _ in 0..<rng.int(1..<4) {
                let gate = rng.chance(0.7) ? "G3" : "G1"
                let cred: GatePassage.Credential = rng.chance(0.5) ? .card("C\(10000 + i)") : .person(id)
                events.append(Event(t: t, message: passage(gate, cred, .in, t)))
                if rng.chance(0.03) { events.append(Event(t: t + 30_000, message: passage(gate, cred, .in, t + 30_000))) }
                t += Int64(rng.int(1_800_000..<9 * 3_600_000))
                guard t < dayStart + dayLength - 3_600_000, !rng.chance(0.1) else { break }  // stays overnight
                events.append(Event(t: t, message: passage(rng.chance(0.7) ? "G3" : "G1", cred, .out, t)))
                if rng.chance(0.02) { events.append(Event(t: t + 45_000, message: passage("G3", cred, .out, t + 45_000))) }
                t += Int64(rng.int(600_000..<3 * 3_600_000))
            }
        }
        // Vehicles: hazmat ones (and visitors) book each trip at G2; others use G1.
        for v in plates {
            var t = dayStart + Int64(rng.int(0..<6 * 3_600_000))
            for _ in 0..<rng.int(1..<3) {
                let gate = v.hazmat ? "G2" : "G1"
                if v.hazmat {
                    bookingNo += 1
                    let b: [String: Value] = [
                        "op": "booking.create", "id": .string("B\(bookingNo)"), "plate": .string(v.plate), "gate": "G2",
                        "route": "R1", "destination": "E02", "cargo": ["un": "1203", "class": "3"],
                        "window": ["from": .time(Instant(milliseconds: t - 600_000)), "until": .time(Instant(milliseconds: t + 3_600_000))],
                    ]
                    events.append(Event(t: t - 900_000, booking: .object(b)))
                }
                events.append(Event(t: t, message: passage(gate, .plate(v.plate), .in, t)))
                t += Int64(rng.int(1_800_000..<5 * 3_600_000))
                guard t < dayStart + dayLength - 3_600_000, !rng.chance(0.15) else { break }
                events.append(Event(t: t, message: passage(gate, .plate(v.plate), .out, t)))
                t += Int64(rng.int(3_600_000..<4 * 3_600_000))
            }
        }
        events.sort { $0.t < $1.t || ($0.t == $1.t && $0.booking != nil && $1.booking == nil) }

        var model = Model()
        var checkpoints = Array(stride(from: dayStart + 3 * 3_600_000, to: dayStart + dayLength, by: 3 * 3_600_000))
        var passages = 0
        var decisions = (granted: 0, denied: 0)
        for ev in events {
            while let c = checkpoints.first, c <= ev.t {
                checkpoints.removeFirst()
                try check(engine, model, at: Instant(milliseconds: c))
            }
            if let b = ev.booking {
                _ = try engine.control(b, at: Instant(milliseconds: ev.t)).reply.get()
                continue
            }
            guard case .gate(let g)? = ev.message else { continue }
            passages += 1
            let key: SubjectKey
            let enterprise: String?
            switch g.credential {
            case .person(let id): key = .person(id); enterprise = peopleEnterprise[id]
            case .card(let c): key = .person("P" + c.dropFirst()); enterprise = peopleEnterprise["P" + c.dropFirst()]
            case .plate(let p): key = .vehicle(p); enterprise = plates.first { $0.plate == p }?.enterprise ?? "E02"
            }
            model.apply(key, g.direction, gate: g.gate, hard: g.gate != "G1", t: g.time, enterprise: enterprise,
                        refused: banned.contains(key.id))
            let out = engine.pass(.gate(g))
            #expect(out.disposition == .accepted)
            if out.granted { decisions.granted += 1 } else { decisions.denied += 1 }
        }
        try check(engine, model, at: Instant(milliseconds: dayStart + dayLength))
        #expect(passages > 5000, "a day's worth: \(passages) passages")
        #expect(decisions.granted == model.granted && decisions.denied == model.denied)
        #expect(model.denied > 50, "the day had refusals in it: \(model.denied)")
    }

    func passage(_ gate: String, _ c: GatePassage.Credential, _ d: GatePassage.Direction, _ t: Int64) -> IngestMessage {
        .gate(GatePassage(gate: gate, time: Instant(milliseconds: t), direction: d, credential: c, count: 1))
    }

    /// `presence` against the model: totals, by kind, by enterprise, and every subject's record.
    func check(_ engine: Engine, _ model: Model, at t: Instant) throws {
        let p = try engine.control(["op": "presence"], at: t).reply.get()
        let where_ = t.rfc3339
        #expect(p["total"]?.intValue == model.inside.count, "total at \(where_)")
        let persons = model.inside.keys.filter { $0.kind == "person" }.count
        #expect(p["by_kind"] == ["person": .int(persons), "vehicle": .int(model.inside.count - persons)], "by kind at \(where_)")
        var byEnterprise: [String: [String: Int]] = [:]
        for (k, v) in model.inside {
            byEnterprise[v.enterprise ?? "none", default: ["person": 0, "vehicle": 0, "total": 0]][k.kind, default: 0] += 1
            byEnterprise[v.enterprise ?? "none"]?["total", default: 0] += 1
        }
        #expect(p["by_enterprise"] == .object(byEnterprise.mapValues { .object($0.mapValues { .int($0) }) }), "by enterprise at \(where_)")
        let listed = p["subjects"]?.arrayValue ?? []
        #expect(listed.count == model.inside.count)
        for s in listed {
            guard let kind = s["kind"]?.stringValue, let id = s["id"]?.stringValue else { continue }
            let key: SubjectKey = kind == "person" ? .person(id) : .vehicle(id)
            let m = model.inside[key]
            #expect(m != nil && s["since"] == .time(m?.since ?? t) && s["gate"] == .optional(m?.gate), "\(key) at \(where_)")
        }
        #expect(engine.presence.count == model.inside.count)
    }
}
