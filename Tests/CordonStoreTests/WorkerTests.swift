import CordonStore
import Foundation
import Synchronization
import Testing

/// The two shapes of the store's background threads (the checkpointer and the retention sweep
/// are periodic; the journal's writer takes a queue): what callers rely on when they close.
@Suite("Background workers: rounds until closed, queues handled in order, close waits for the thread")
struct WorkerTests {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        func add(_ s: String) { lock.withLock { entries.append(s) } }
        var all: [String] { lock.withLock { entries } }
    }

    private func waitUntil(_ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    @Test("a periodic worker repeats its round; close lets the round under way end, runs last once, and returns after")
    func periodic() {
        let log = Log()
        let worker = PeriodicWorker(name: "test-periodic", urgency: .background, firstAfter: 0, interval: 0.01,
                                    round: { _ in log.add("round") }, last: { log.add("last") })
        waitUntil { log.all.count >= 3 }
        worker.close()
        let closed = log.all
        #expect(closed.filter { $0 == "round" }.count >= 3)
        #expect(closed.last == "last" && closed.filter { $0 == "last" }.count == 1, "\(closed)")
        Thread.sleep(forTimeInterval: 0.05)
        #expect(log.all == closed, "nothing runs after close returned")
        worker.close()
        #expect(log.all == closed, "closing twice does nothing more")
    }

    @Test("a long round sees that the worker is stopping and ends early")
    func longRoundStopsEarly() {
        let steps = Atomic<Int>(0)
        let worker = PeriodicWorker(name: "test-long", urgency: .background, firstAfter: 0, interval: 3600, round: { w in
            while !w.isStopping && steps.load(ordering: .relaxed) < 1_000_000 {
                steps.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.001)
            }
        })
        waitUntil { steps.load(ordering: .relaxed) > 5 }
        worker.close()
        #expect(steps.load(ordering: .relaxed) < 1_000_000, "the round ended when asked, not when done")
    }

    @Test("a queue worker handles items in order; flush waits for them; close handles what is queued and drops what comes after")
    func queue() {
        let log = Log()
        let worker = QueueWorker<Int>(name: "test-queue", urgency: .background) { n in
            if n == 0 { Thread.sleep(forTimeInterval: 0.05) }  // the rest queue up behind it
            log.add("\(n)")
        }
        for n in 0..<100 { worker.submit(n) }
        worker.flush()
        #expect(log.all == (0..<100).map(String.init))
        for n in 100..<110 { worker.submit(n) }
        worker.close()
        #expect(log.all == (0..<110).map(String.init), "what was queued before close is handled")
        worker.submit(999)
        worker.flush()
        #expect(!log.all.contains("999"), "dropped after close")
    }
}
