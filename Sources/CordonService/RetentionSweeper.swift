import CordonCore
import CordonStore
import Foundation

/// Deletes what has outlived its retention, on a thread of its own, in small batches with a
/// pause between them, so that ingest never stalls behind it (a batch holds the write lock of
/// one file for a few milliseconds).
final class RetentionSweeper: Sendable {
    private let worker: PeriodicWorker

    /// - Parameters:
    ///   - firstAfter: seconds before the first sweep (a start is busy enough).
    ///   - interval: seconds between sweeps.
    ///   - onSweep: told what each sweep deleted, and the error that ended it early, if any.
    init(store: Store, policy: RetentionPolicy, firstAfter: TimeInterval = 60, interval: TimeInterval = 3600,
         onSweep: @escaping @Sendable ([RetentionClass: Int], StoreError?) -> Void) {
        worker = PeriodicWorker(name: "cordon-retain", urgency: .background, firstAfter: firstAfter, interval: interval) { w in
            do throws(StoreError) {
                onSweep(try Self.sweep(store, policy: policy, now: WallClock.now(), shouldStop: { w.isStopping }), nil)
            } catch {
                onSweep([:], error)
            }
        }
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
    func close() { worker.close() }
}
