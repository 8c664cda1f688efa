import CordonCore
import CordonTestSupport
import Foundation
import Testing

/// Real Pozyx UWB fixes (SDU building dataset, Das et al., DATA'19; read from
/// ../shared/realdata/sdu_uwb, never copied into the repository): one person, ~4.4 Hz for three
/// minutes, standing two minutes near one spot with the fixes wobbling by centimetres and real
/// outliers up to 0.64 m, then walking circles of about a metre, then standing again.
struct UWBRecording {
    struct Fix {
        var time: Instant
        var x: Double
        var y: Double
    }

    static var csv: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/realdata/sdu_uwb/raw_uwbtags.csv")
    }

    /// The fixes in metres, in time order; nil when the data is not on this machine.
    static func fixes() -> [Fix]? {
        guard let text = try? String(contentsOf: csv, encoding: .utf8) else { return nil }
        var out: [Fix] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ";")
            guard f.count == 5, let x = Double(f[1]), let y = Double(f[2]),
                  let t = RFC3339.parse(f[4].replacingOccurrences(of: " ", with: "T") + "Z") else { continue }
            out.append(Fix(time: t, x: x / 1000, y: y / 1000))
        }
        return out.isEmpty ? nil : out
    }

    /// The spread the recording shows: the 95th percentile of each fix's distance from the
    /// median of it and its four neighbours (the person moves slowly next to 4.4 Hz).
    static func spread(_ f: [Fix]) -> Double {
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
        var d: [Double] = []
        for i in f.indices {
            let w = f[max(0, i - 2)...min(f.count - 1, i + 2)]
            d.append(hypot(f[i].x - median(w.map(\.x)), f[i].y - median(w.map(\.y))))
        }
        return nearestRank(d, 0.95)
    }
}

@Suite("Real UWB fixes at a zone's edge: accuracy keeps the decision from flapping",
       .enabled(if: UWBRecording.fixes() != nil, "../shared/realdata/sdu_uwb is not on this machine: skipped"))
struct RealUWBEdgeTests {
    /// A forbidden zone whose west edge, x = 2 m, runs through where the person stands; it
    /// needs decimetre decisions (0.1 m) and has no exit tolerance, so accuracy alone decides.
    static func site() throws -> Site {
        var s = TestSite()
        s.zone("Z-EDGE", TestSite.rect(2, -20, 30, 20), ["name": "Analyser house", "risk": "red", "access": "forbidden",
                                                          "required_accuracy_m": 0.1, "exit_tolerance_m": 0])
        return try s.load()
    }

    static func run(accuracy: Double?) throws -> (changes: [Instant], engine: Engine, fixes: [UWBRecording.Fix]) {
        let fixes = try #require(UWBRecording.fixes())
        var reg = Registry()
        reg.upsert(Person(id: "P-UWB", name: "walker", tag: "0x6733"))
        let e = Engine(site: try site(), registry: reg)
        var changes: [Instant] = []
        for f in fixes {
            for v in e.run([fix("0x6733", 0, f.x, f.y, accuracy: accuracy).retimed(f.time)]) where v.kind == .restrictedZone {
                changes.append(v.time)
            }
        }
        return (changes, e, fixes)
    }

    static func shortest(_ changes: [Instant]) -> Double {
        zip(changes, changes.dropFirst()).map { $1.seconds(since: $0) }.min() ?? .infinity
    }

    @Test("without accuracy_m the jitter at the edge raises and clears the alarm a hundred times, some 0.2 s apart")
    func baselineFlaps() throws {
        let r = try Self.run(accuracy: nil)
        #expect(r.changes.count >= 100)
        #expect(Self.shortest(r.changes) < 0.5)
    }

    @Test("with accuracy_m set from the recording's spread: no flapping, and the time undecided is reported")
    func noFlapping() throws {
        let fixes = try #require(UWBRecording.fixes())
        let spread = UWBRecording.spread(fixes)
        #expect(spread > 0.15 && spread < 0.35, "the recording's own p95 spread, about 0.23 m")
        let r = try Self.run(accuracy: spread.rounded(toPlaces: 2))
        // What is left is the circles the person walked across the edge (real crossings, seconds apart).
        #expect(r.changes.count <= 20, "\(r.changes.count) raises and clears")
        #expect(Self.shortest(r.changes) >= 1.0, "no state lasts less than a second")
        let state = try #require(r.engine.state(of: .person("P-UWB")))
        #expect(state.undecidedS > 60, "most of the two minutes standing at the edge was undecided (\(state.undecidedS) s)")
        let report = try #require(try r.engine.control(
            ["op": "report.positioning", "from": .time(fixes[0].time), "to": .time(fixes[fixes.count - 1].time.adding(seconds: 1))],
            at: fixes[fixes.count - 1].time).reply.get()["report"])
        let row = try #require(report["zones"]?.arrayValue?.first { $0["zone"] == "Z-EDGE" })
        let reported = try #require(row["undecided_s"]?.numberValue)
        #expect(abs(reported - state.undecidedS) < 0.01, "the report counts the same undecided time as the subject's state")
        #expect((row["undecided_spells"]?.intValue ?? 0) > 0)
        let whereis = try r.engine.control(["op": "whereis", "person": "P-UWB"], at: fixes[fixes.count - 1].time).reply.get()
        #expect(whereis["undecided"]?["total_s"]?.numberValue == state.undecidedS.rounded(toPlaces: 3))
    }
}

extension IngestMessage {
    /// The same message at another time.
    func retimed(_ t: Instant) -> IngestMessage {
        guard case .position(var p) = self else { return self }
        p.time = t
        return .position(p)
    }
}
