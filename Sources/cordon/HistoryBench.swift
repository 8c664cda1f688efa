import ArgumentParser
import CordonCore
import CordonService
import CordonStore
import Foundation
import Geometry

/// `cordon history-bench`: a simulated day of tags at 1 Hz through the real pipeline into a
/// real store (thinned tracks, violations, gate passages, the live-state journal), then the
/// history queries an incident review asks, timed. The figures of docs/operations.md.
struct HistoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history-bench",
        abstract: "Store a simulated day of tags at 1 Hz, then time the history queries on it.")

    @Option(help: "The site file.") var site = "geofences/demo-park.geojson"
    @Option(help: "Data directory to fill (must be new), or to query with --query-only.") var data: String
    @Option(help: "Tags, each a person walking at 1.2 m/s.") var tags = 2000
    @Option(help: "Simulated hours.") var hours = 24.0
    @Option(help: "Random seed.") var seed: UInt64 = 12
    @Flag(help: "Only time the queries on what --data holds.") var queryOnly = false

    func run() throws {
        let day0 = Instant(milliseconds: 1_796_256_000_000)  // 2026-12-03T00:00:00Z
        if !queryOnly { try fill(from: day0) }
        try query(from: day0)
    }

    private func fill(from t0: Instant) throws {
        let s = try SiteFile.load(path: site)
        let store = try Store(directory: data)
        let engine = Engine(site: s, registry: Registry(), start: t0)
        let pipeline = Pipeline(engine: engine, store: store, sink: NullSink(), sitePath: nil)
        let people: [Value] = (0..<tags).map { i in
            ["id": .string(String(format: "P%04d", i)), "name": .string("worker \(i)"), "tag": .string(String(format: "T%04d", i))]
        }
        _ = pipeline.control(["op": "registry.upsert", "people": .array(people)], at: t0)
        let b = s.boundary.bounds
        var rng = SplitMix(seed: seed)
        func random(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * Double(rng.next() >> 11) / Double(1 << 53) }
        var at = (0..<tags).map { _ in LocalPoint(x: random(b.minX, b.maxX), y: random(b.minY, b.maxY)) }
        var goal = at
        let gates = s.gates.keys.sorted().filter { s.gates[$0]?.gateClass.rawValue != "hazmat" }
        let seconds = Int(hours * 3600)
        let started = Date()
        var positions = 0
        for sec in 0..<seconds {
            let t = t0.adding(seconds: Double(sec))
            var frame = "["
            frame.reserveCapacity(tags * 80)
            for i in 0..<tags {
                let dx = goal[i].x - at[i].x, dy = goal[i].y - at[i].y
                let d = (dx * dx + dy * dy).squareRoot()
                if d < 1.2 {
                    goal[i] = LocalPoint(x: random(b.minX, b.maxX), y: random(b.minY, b.maxY))
                } else {
                    at[i] = LocalPoint(x: at[i].x + dx / d * 1.2, y: at[i].y + dy / d * 1.2)
                }
                if i > 0 { frame += "," }
                frame += #"{"type":"position","tag":"T\#(String(format: "%04d", i))","t":\#(t.milliseconds),"x":\#((at[i].x * 10).rounded() / 10),"y":\#((at[i].y * 10).rounded() / 10),"moving":true}"#
            }
            frame += "]"
            // A shift change every 8 hours: a tenth of the people pass a gate each way.
            if sec % (8 * 3600) == 60, !gates.isEmpty {
                for i in stride(from: 0, to: tags, by: 10) {
                    let g = gates[i % gates.count]
                    let dir = (sec / (8 * 3600)) % 2 == 0 ? "in" : "out"
                    pipeline.ingest(frame: Array(#"{"type":"gate","gate":"\#(g)","t":\#(t.milliseconds),"direction":"\#(dir)","person":"\#(String(format: "P%04d", i))","tag":"\#(String(format: "T%04d", i))"}"#.utf8), receivedAt: t)
                }
            }
            pipeline.ingest(frame: Array(frame.utf8), receivedAt: t)
            pipeline.tick(to: t)
            if sec % 60 == 0 { pipeline.commitJournal(periodic: true) }
            positions += tags
            if sec % 3600 == 3599 {
                let el = Date().timeIntervalSince(started)
                // Standard error: unbuffered, so a long run shows its progress as it goes.
                FileHandle.standardError.write(Data((String(format: "hour %2d: %d positions in %.0f s (%.0f /s); ", sec / 3600 + 1, positions, el,
                                                            Double(positions) / el) + Self.sizes(store) + "\n").utf8))
            }
        }
        pipeline.close()
        let el = Date().timeIntervalSince(started)
        print(String(format: "stored %d positions in %.0f s (%.0f /s)", positions, el, Double(positions) / el))
    }

    private func query(from t0: Instant) throws {
        let store = try Store(directory: data)
        defer { try? store.close() }
        print(Self.sizes(store))
        for c in try store.stats().classes { print("  \(c.name): \(c.rows) rows") }
        let day = t0.adding(seconds: 86400)
        func time<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
            var best = Double.infinity
            var result: T?
            for _ in 0..<3 {
                let start = Date()
                result = try body()
                best = min(best, Date().timeIntervalSince(start))
            }
            print(what + String(format: ": %.1f ms (best of 3)", best * 1000))
            return result!
        }
        let track = try time("track of P0042 over the day") { try store.track(subject: .person("P0042"), from: t0, until: day, limit: 100_000) }
        print("  \(track.count) points")
        let all = try time("history violations, the whole day") { try store.history(HistoryFilter(from: t0, until: day, limit: 100_000)) }
        print("  \(all.count) events")
        let zone = all.first { $0.zoneID != nil }?.zoneID ?? "Z"
        let kind = all.first?.kind ?? "restricted-zone"
        let z = try time("history violations --kind \(kind) --zone \(zone), the day") {
            try store.history(HistoryFilter(from: t0, until: day, kind: kind, zone: zone, limit: 100_000))
        }
        print("  \(z.count) events")
        let p = try time("history violations --subject P0042, the day") { try store.history(HistoryFilter(from: t0, until: day, subject: "P0042", limit: 100_000)) }
        print("  \(p.count) events")
        let g = try time("history passages --gate G1, the day") { try store.passages(from: t0, until: day, gate: "G1", limit: 100_000) }
        print("  \(g.count) passages")
    }

    static func sizes(_ store: Store) -> String {
        let files = (try? store.stats().files) ?? []
        let total = files.reduce(Int64(0)) { $0 + $1.bytes }
        return files.map { "\($0.name) \(String(format: "%.1f", Double($0.bytes) / 1048576)) MiB" }.joined(separator: ", ")
            + String(format: "; total %.1f MiB", Double(total) / 1048576)
    }
}

/// Publishes nowhere: the bench measures the store, not a socket.
private final class NullSink: EventSink {
    func publish(topic: String, body: [UInt8]) -> Bool { true }
}

/// A small deterministic generator: the same seed gives the same day.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
