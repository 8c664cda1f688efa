import Testing
import Foundation
import Geometry

/// One GEOS context per thread: threads working at the same time do not disturb each other.
@Suite("Threads")
struct ThreadTests {
    /// Runs `work` on `count` new threads at once and waits for all of them.
    func onThreads(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            let thread = Thread {
                work(i)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }

    @Test("two threads each creating shapes and querying their own concurrently")
    func concurrentWork() {
        let failures = Locked(0)
        onThreads(2) { t in
            var rng = SplitMix64(seed: UInt64(t + 10))
            for round in 0..<20 {
                do {
                    let zones = try (0..<50).map { i in
                        try Shape.polygon(exterior: star(center: p(Double(i % 10) * 100, Double(i / 10) * 100), outer: 40))
                    }
                    let prepared = try zones.map { try $0.prepared() }
                    let index = try SpatialIndex(zones.enumerated().map { ($0.element, $0.offset) })
                    for _ in 0..<500 {
                        let q = rng.point(in: Bounds(minX: -50, minY: -50, maxX: 950, maxY: 450))
                        let viaIndex = index.candidates(at: q).filter { prepared[$0].contains(q) }
                        let brute = zones.indices.filter { zones[$0].contains(q) }
                        if viaIndex != brute { failures.withLock { $0 += 1 } }
                    }
                    // A GEOS error on this thread is reported on this thread.
                    do {
                        _ = try Shape.fromWKT("POLYGON ((\(round)")
                        failures.withLock { $0 += 1 }
                    } catch GeometryError.geos(let message) {
                        if !message.contains("ParseException") { failures.withLock { $0 += 1 } }
                    }
                    _ = try zones[0].buffer(5).validityProblem
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test("a shape made on one thread can be queried and freed on others")
    func crossThreadShapes() throws {
        // Made here, on the test's thread.
        let box = Locked<[Shape]?>(try (0..<100).map { try Shape.polygon(exterior: square(Double($0) * 20, 0, 10)) })
        let results = Locked<[Int]>([])
        // Queried on two other threads at once, each through prepared shapes and an index of its own.
        onThreads(2) { _ in
            let shapes = box.withLock { $0 } ?? []
            guard let mine = try? shapes.map({ try $0.prepared() }),
                  let index = try? SpatialIndex(shapes.enumerated().map { ($0.element, $0.offset) }) else {
                results.withLock { $0.append(-1) }
                return
            }
            let inside = (0..<100).filter { i in
                let q = p(Double(i) * 20 + 5, 5)
                return index.candidates(at: q) == [i] && mine[i].contains(q)
            }.count
            results.withLock { $0.append(inside) }
        }
        #expect(results.withLock { $0 } == [100, 100])
        // Freed on a third thread: it drops the last references.
        let freed = Locked(0)
        onThreads(1) { _ in
            let shapes = box.withLock { b in defer { b = nil }; return b }
            freed.withLock { $0 = shapes?.count ?? 0 }
        }
        #expect(freed.withLock { $0 } == 100)
        #expect(box.withLock { $0 } == nil)
    }

    @Test("another thread's GEOS error does not show on this thread")
    func errorsArePerThread() {
        let before = GeometryContext.lastError
        onThreads(1) { _ in _ = try? Shape.fromWKT("NOT WKT") }
        #expect(GeometryContext.lastError == before)
    }
}
