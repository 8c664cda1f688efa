import CordonCore
import CordonStore
import Foundation

/// Deletes what has outlived its retention, on a thread of its own, in small batches with a
/// pause between them, so that ingest never stalls behind it (a batch holds the write lock of
/// one file for a few milliseconds).
final class RetentionSweeper: @unchecked Sendable {
    private let store: Store
    private let policy: RetentionPolicy
    private let interval: TimeInterval
    private let onSweep: @Sendable ([RetentionClass: Int], StoreError?) -> Void
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false

    /// - Parameters:
    ///   - firstAfter: seconds before the first sweep (a start is busy enough).
    ///   - interval: seconds between sweeps.
    ///   - onSweep: told what each sweep deleted, and the error that ended it early, if any.
    init(store: Store, policy: RetentionPolicy, firstAfter: TimeInterval = 60, interval: TimeInterval = 3600,
         onSweep: @escaping @Sendable ([RetentionClass: Int], StoreError?) -> Void) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.onSweep = onSweep
        WorkerThread.start(name: "cordon-retain", urgency: .background) { [self] in run(firstAfter: firstAfter) }
    }

    /// One sweep, now, on the caller's thread: every class down to its cutoff. Returns the rows
    /// deleted per class.
    static func sweep(_ store: Store, policy: RetentionPolicy, now: Instant, batch: Int = 2000,
                      pause: TimeInterval = 0.005, shouldStop: () -> Bool = { false }) throws(StoreError) -> [RetentionClass: Int] {
        var deleted: [RetentionClass: Int] = [:]
        for cls in RetentionClass.allCases {
            let cutoff = policy.cutoff(cls, now: now)
            while !shouldStop() {
                let n = try store.pruneBatch(cls, olderThan: cutoff, batch: batch)
                deleted[cls, default: 0] += n
                if n < batch { break }
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            }
        }
        return deleted
    }

    /// Stops the thread (a sweep under way ends after its current batch) and waits for it.
    func close() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func run(firstAfter: TimeInterval) {
        var next = Date().addingTimeInterval(firstAfter)
        while true {
            condition.lock()
            while !stopping && Date() < next { _ = condition.wait(until: next) }
            let stop = stopping
            condition.unlock()
            if stop { break }
            do {
                onSweep(try Self.sweep(store, policy: policy, now: WallClock.now(), shouldStop: { isStopping }), nil)
            } catch {
                onSweep([:], error)
            }
            next = Date().addingTimeInterval(interval)
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
