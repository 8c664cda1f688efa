import CordonCore
import CordonTestSupport
import CordonService
import CordonSimulation
import CordonWire
import Foundation
import Testing

@Suite("the traffic simulator")
struct SimulationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sitePath = root.appendingPathComponent("geofences/demo-park.geojson").path
    static let layoutPath = root.appendingPathComponent("tools/demo-park-layout.json").path
    /// 2026-11-23T08:00:00+08:00.
    static let start = RFC3339.parse("2026-11-23T08:00:00+08:00")!

    static func simulator(seed: UInt64 = 1, people: Int = 150, warmup: Double = 1200,
                          configure: (inout TrafficSimulator.Options) -> Void = { _ in }) throws -> TrafficSimulator {
        let site = try SiteFile.load(path: sitePath)
        let layout = try SiteLayout.load(path: layoutPath)
        var options = TrafficSimulator.Options(start: start, seed: seed, people: people)
        options.warmupSeconds = warmup
        configure(&options)
        return try TrafficSimulator(site: site, layout: layout, options: options)
    }

    /// What the service publishes for the simulator's messages up to `end`, replayed as
    /// `cordon replay` would (the `--output` form), with the simulator's notes.
    static func replay(_ sim: TrafficSimulator, until end: Instant) throws
        -> (out: [Value], notes: [TrafficSimulator.Note], summary: ReplayRunner.Summary) {
        let lines = sim.step(to: end).map { Array($0.replayLine.utf8) }
        let notes = sim.takeNotes(upTo: end)
        let site = try SiteFile.load(path: sitePath)
        var out: [Value] = []
        let runner = ReplayRunner(site: site, sitePath: sitePath, registry: nil) { line in
            if let v = try? JSONText.parse(Array(line.utf8)) { out.append(v) }
        }
        let summary = runner.run(input: lines, tailSeconds: 0)
        return (out, notes, summary)
    }

    @Test("the same seed gives the same messages, however finely it is stepped; another seed does not")
    func deterministic() throws {
        let end = Self.start.adding(seconds: 120)
        let once = try Self.simulator(warmup: 120).step(to: end)
        let stepped = try Self.simulator(warmup: 120)
        var pieces: [SimulatedMessage] = []
        var t = Self.start.adding(seconds: -60)
        while t < end {
            t = t.adding(milliseconds: 250)
            pieces += stepped.step(to: t)
        }
        #expect(once.count > 15_000)
        #expect(once == pieces)
        let other = try Self.simulator(seed: 2, warmup: 120).step(to: end)
        #expect(other != once)
        // Time order, as a replay file must be.
        #expect(zip(once, once.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test("first the registry, then the gate entries of those on site, then traffic")
    func preamble() throws {
        let messages = try Self.simulator(warmup: 60).step(to: Self.start.adding(seconds: 5))
        let first = try #require(messages.first)
        #expect(first.op == "registry.upsert")
        guard case .control(let request) = first.payload else { return }
        let people = request["people"]?.arrayValue ?? []
        #expect(people.count == 150)
        #expect(people.contains { $0["contractor"] == true && $0["induction_until"] != nil })
        #expect(people.contains { p in p["qualifications"]?.arrayValue?.contains { $0["name"] == "hot-work" } == true })
        #expect(request["vehicles"]?.arrayValue?.contains { $0["kind"] == "hazmat" && $0["plate"]?.stringValue?.hasPrefix("鲁E") == true } == true)
        let gates = messages.prefix { $0.time < Self.start }.dropFirst()
        #expect(gates.count > 100 && gates.allSatisfy { $0.kind == "gate" })
        #expect(messages.contains { $0.kind == "position" && $0.text.contains(#""frame":"uwb-e01-control""#) })
    }

    /// The alarm kinds the incidents stage, each with the incident that raises it and how many
    /// it raises per occurrence.
    static let staged: [String: (incident: String, each: Int)] = [
        "restricted-zone": ("red-zone stray", 1), "unknown-tag": ("unknown tag", 1), "access-denied": ("induction expired", 1),
        "sos": ("sos", 1), "tailgating": ("tailgating", 1), "overcrowding": ("control-room crowd", 1), "man-down": ("man down", 1),
        "low-battery": ("low battery", 1), "speeding": ("speeding truck", 1), "lone-worker": ("hot-work guardian", 2),
        "tag-offline": ("silent tag", 1), "crowding": ("crowd at a pump", 1), "illegal-stop": ("shoulder stop", 1),
    ]

    @Test("15 minutes through the replay runner: every staged alarm, and only those; nothing rejected, every gate passage granted but the staged refusals")
    func replayed() throws {
        let sim = try Self.simulator(people: 80)
        let (out, notes, summary) = try Self.replay(sim, until: Self.start.adding(seconds: 900))
        #expect(summary.counters.rejectedTotal == 0, "rejected: \(summary.counters.rejected)")
        #expect(summary.counters.late == 0)
        // Every control request taken: the registry, bookings, permits, acknowledgements.
        let replies = out.compactMap { $0["reply"] }
        #expect(replies.count > 5)
        #expect(replies.allSatisfy { $0["ok"] == true }, "\(replies.filter { $0["ok"] != true })")
        #expect(replies.contains { $0["booking"] != nil } && replies.contains { $0["permit"] != nil } && replies.contains { $0["acknowledged"] != nil })

        let raised = out.compactMap { v -> String? in
            guard let topic = v["topic"]?.stringValue, topic.hasPrefix("violation.") else { return nil }
            return String(topic.dropFirst("violation.".count))
        }
        #expect(Set(raised) == Set(Self.staged.keys), "raised: \(Set(raised).sorted()), staged: \(Self.staged.keys.sorted())")
        // Each alarm comes from an incident: as many as were staged (the last may fall just after the end).
        for (kind, (incident, each)) in Self.staged {
            let n = raised.filter { $0 == kind }.count
            let staged = notes.filter { $0.kind == incident }.count * each
            #expect(n <= staged && n >= staged - each, "\(kind): \(n) raised, \(staged) staged by \(incident)")
        }
        // The hazmat trucks came in at G2 on their bookings.
        let access = out.filter { $0["topic"]?.stringValue?.hasPrefix("access.") == true }.compactMap { $0["body"] }
        let g2 = access.filter { $0["gate"] == "G2" }
        #expect(g2.count >= 3 && g2.allSatisfy { $0["direction"] != "in" || ($0["decision"] == "granted" && $0["booking"] != nil) })
        // Refused only the contractors whose induction lapsed.
        let denied = access.filter { $0["decision"] == "denied" }
        #expect(!denied.isEmpty && denied.allSatisfy { $0["reasons"]?.arrayValue?.map { $0["code"] } == ["induction-expired"] })
        // The fall alerts were cancelled in time: nothing raised.
        #expect(notes.contains { $0.kind == "fall cancelled" } && !raised.contains("fall"))
    }

    @Test("a drill: everyone on site walks to a muster point, and the report has them all")
    func drill() throws {
        let sim = try Self.simulator(seed: 3, people: 40) {
            $0.drillAt = 30
            $0.drillMinutes = 15
            $0.incidents = false
        }
        let (out, _, summary) = try Self.replay(sim, until: Self.start.adding(seconds: 30 + 15 * 60 + 5))
        #expect(summary.counters.rejectedTotal == 0)
        let ended = try #require(out.first { $0["topic"] == "muster.ended" }?["body"])
        let total = try #require(ended["total"]?.intValue)
        #expect(total > 25)
        #expect(ended["accounted"]?.intValue == total)
        #expect(ended["missing_people"]?.arrayValue?.isEmpty == true, "missing: \(ended["missing_people"] ?? .null)")
        #expect(ended["time_to_100_s"]?.numberValue != nil)
        // At the points, and the control-room crew vouched for at their posts.
        let accounted = out.filter { $0["topic"] == "muster.accounted" }.compactMap { $0["body"] }
        #expect(accounted.contains { $0["point"]?.stringValue?.hasPrefix("M") == true })
        #expect(accounted.contains { $0["marked_by"] != nil })
        // Nobody's way to the muster point, or back, raised anything.
        let raised = out.compactMap { $0["topic"]?.stringValue }.filter { $0.hasPrefix("violation.") }
        #expect(raised.isEmpty, "\(raised)")
    }
}
