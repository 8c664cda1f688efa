import CordonCore
import CordonService
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

    static func simulator(seed: UInt64 = 1, warmup: Double = 1200) throws -> TrafficSimulator {
        let site = try SiteFile.load(path: sitePath)
        let layout = try SiteLayout.load(path: layoutPath)
        var options = TrafficSimulator.Options(start: start, seed: seed)
        options.warmupSeconds = warmup
        return try TrafficSimulator(site: site, layout: layout, options: options)
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

    @Test("ten minutes through the replay runner: restricted-zone, overcrowding and unknown-tag alarms, nothing rejected")
    func replayed() throws {
        let sim = try Self.simulator()
        let end = Self.start.adding(seconds: 600)
        let lines = sim.step(to: end).map { Array($0.replayLine.utf8) }
        let notes = sim.takeNotes(upTo: end)
        let site = try SiteFile.load(path: Self.sitePath)
        var out: [String] = []
        let runner = ReplayRunner(site: site, sitePath: Self.sitePath, registry: nil) { out.append($0) }
        let summary = runner.run(input: lines, tailSeconds: 0)
        #expect(summary.counters.rejectedTotal == 0, "rejected: \(summary.counters.rejected)")
        #expect(summary.counters.late == 0)
        let topics = out.compactMap { line in (try? JSONText.parse(line))?["topic"]?.stringValue }
        #expect(topics.contains("violation.restricted-zone"))
        #expect(topics.contains("violation.overcrowding"))
        #expect(topics.contains("violation.unknown-tag"))
        // Each alarm comes from an incident: everyday traffic raises none of these by itself.
        let strays = notes.filter { $0.kind == "red-zone stray" }.count
        let raised = topics.filter { $0 == "violation.restricted-zone" }.count
        #expect(raised >= strays - 1 && raised <= strays)
        let crowds = notes.filter { $0.kind == "control-room crowd" }.count
        #expect(topics.filter { $0 == "violation.overcrowding" }.count <= crowds)
        // The registry was taken.
        #expect(out.first.flatMap { try? JSONText.parse($0) }?["reply"]?["ok"] == true)
    }
}
