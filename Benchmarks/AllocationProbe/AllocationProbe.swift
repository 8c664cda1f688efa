import CordonCore
import CordonService
import Foundation
import Geometry
import MallocInterposerSwift

/// Counts the heap allocations of positions that change nothing: a person walking about inside
/// the zones they are already in, or in the open, with no rule to raise. Such a position must
/// allocate nothing (docs/performance.md): at 250,000 positions a second, every `malloc` on this
/// path is a quarter of a million a second, and each is a lock, a cache miss and a `free`.
///
/// Each position is fed alone through the same pipeline `cordon replay` and `serve` drive
/// (decoder, engine, track history's thinning), with counting switched on around that one call
/// only; positions that changed a zone set or published anything are counted apart, not judged.
/// Run it through `make allocations`: it needs the interposer preloaded (`LD_PRELOAD`), and a
/// release build, since a debug build boxes what the optimiser keeps on the stack.
@main
struct AllocationProbe {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let sitePath = arguments.first ?? "fixtures/scenario-park.geojson"
        let people = 500, warmRounds = 40, rounds = 60
        let site = try SiteFile.load(path: sitePath)
        var registry = Registry()
        for i in 0..<people {
            let n = String(format: "%04d", i)
            registry.upsert(Person(id: "P-A\(n)", name: "walker \(n)", enterprise: "E01", tag: "T-A\(n)"))
        }
        var published = 0
        let runner = ReplayRunner(site: site, sitePath: sitePath, registry: registry, writeBytes: { _ in published += 1 })
        // As in serve, where the track history reads where each position left its subject.
        runner.engine.reportsTracks = true
        let homes = Self.homes(count: people, in: site)
        var t = Int64(1_800_000_000_000)
        func frame(person i: Int, round: Int) -> [UInt8] {
            // A walk round a 3 m circle, about a metre a second: moving, never far.
            let a = Double(round) * .pi / 9
            let x = homes[i].x + 3 * cos(a), y = homes[i].y + 3 * sin(a)
            let n = String(format: "%04d", i)
            return Array(#"{"type":"position","tag":"T-A\#(n)","t":\#(t),"x":\#((x * 100).rounded() / 100),"y":\#((y * 100).rounded() / 100)}"#.utf8)
        }
        var zoneSets = [Int?](repeating: nil, count: people)
        for round in 0..<warmRounds {
            for i in 0..<people {
                frame(person: i, round: round).withUnsafeBytes { runner.feed(frame: $0) }
                zoneSets[i] = Self.signature(runner.engine, person: i)
            }
            t += 1000
        }
        let verbose = ProcessInfo.processInfo.environment["ALLOCATION_PROBE_VERBOSE"] != nil
        MallocInterposerSwift.initialize()
        var steady = 0, steadyAllocations = 0, allocatingSteady = 0, busy = 0, busyAllocations = 0
        for round in warmRounds..<(warmRounds + rounds) {
            let frames = (0..<people).map { frame(person: $0, round: round) }
            // The clock moves on before the round, as `serve`'s tick moves it: what falls due
            // then (periodic checks, timers) is not a position's doing.
            runner.advance(to: Instant(milliseconds: t))
            for (i, f) in frames.enumerated() {
                let before = published
                let start = MallocInterposerSwift.getStatistics().mallocCount
                MallocInterposerSwift.hook()
                f.withUnsafeBytes { runner.feed(frame: $0) }
                MallocInterposerSwift.unhook()
                let allocations = MallocInterposerSwift.getStatistics().mallocCount - start
                let signature = Self.signature(runner.engine, person: i)
                defer { zoneSets[i] = signature }
                if published == before && signature == zoneSets[i] {
                    steady += 1
                    steadyAllocations += allocations
                    if allocations > 0 {
                        allocatingSteady += 1
                        if verbose { print("round \(round) person \(i): \(allocations) allocation(s)") }
                    }
                } else {
                    busy += 1
                    busyAllocations += allocations
                }
            }
            t += 1000
        }
        let perSteady = steady > 0 ? Double(steadyAllocations) / Double(steady) : 0
        print(#"{"site":"\#(sitePath)","steady_positions":\#(steady),"steady_allocations":\#(steadyAllocations),"#
            + #""steady_positions_that_allocated":\#(allocatingSteady),"allocations_per_steady_position":\#(perSteady),"#
            + #""other_positions":\#(busy),"other_allocations":\#(busyAllocations)}"#)
        if steady < people * rounds / 2 {
            FileHandle.standardError.write(Data("too few steady positions (\(steady)) for the count to mean anything\n".utf8))
            exit(2)
        }
        if MallocInterposerSwift.getStatistics().mallocCount == 0 {
            FileHandle.standardError.write(Data("nothing was counted: run with the interposer preloaded (make allocations)\n".utf8))
            exit(2)
        }
        exit(steadyAllocations == 0 ? 0 : 1)
    }

    /// The zones walker `i` is in, or nil before their first position.
    static func signature(_ engine: Engine, person i: Int) -> Int? {
        engine.state(of: .person(String(format: "P-A%04d", i))).map { s in
            s.stays.reduce(s.stays.count) { $0 &* 31 &+ $1.zone }
        }
    }

    /// Random places inside the site's fence, the same on every run.
    static func homes(count: Int, in site: Site) -> [LocalPoint] {
        let b = site.boundary.shape.bounds
        var rng = SplitMix(seed: 42)
        var homes: [LocalPoint] = []
        while homes.count < count {
            let p = LocalPoint(x: b.minX + 5 + rng.unit() * (b.maxX - b.minX - 10), y: b.minY + 5 + rng.unit() * (b.maxY - b.minY - 10))
            if site.fence.contains(p) { homes.append(p) }
        }
        return homes
    }
}

/// A small seeded generator: the same walk on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
