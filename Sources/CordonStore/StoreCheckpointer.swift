import Foundation
import GRDB

/// Runs the main file's WAL checkpoints on a thread of its own, and keeps the live-state log
/// short (``Store/foldLive(limit:)``: the rows the frames' commits appended move into the
/// track file's folded set, a few thousand per step, each step holding the main file's write
/// lock only for its delete).
///
/// In WAL mode a commit that finds the log past `wal_autocheckpoint` pages copies it back
/// into the database and syncs it before returning: a few milliseconds, paid by whichever
/// commit crosses the line — a violation or a gate decision waiting to be published. This
/// thread checkpoints the log (PASSIVE: it never blocks a writer) every `interval` on its own
/// connection, and every tenth of a second while a round folds, so that line is never reached
/// while the service runs, and a commit costs what a commit costs (~0.2 ms). Once the log is
/// past `restartFrames` (16 MB) a checkpoint also starts it over (RESTART, writers held off for
/// the few frames the passive pass left), so that it stays that size under a load that never
/// pauses.
public final class StoreCheckpointer: Sendable {
    private let core: Core
    private let worker: PeriodicWorker

    /// Starts checkpointing `store`'s main file. A store in memory needs none: nothing starts.
    /// - Parameter restartFrames: the log's length in frames (a page each) past which a
    ///   checkpoint also starts it over (tests make it small).
    public init(store: Store, interval: Duration = .seconds(1), restartFrames: Int = 4_096,
                onError: (@Sendable (StoreError) -> Void)? = nil) throws(StoreError)
    {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) * 1e-18
        var queue: DatabaseQueue?
        if store.path != ":memory:" {
            do {
                queue = try DatabaseQueue(path: store.path, configuration: Store.configuration(cacheMiB: 1))
            } catch {
                throw .cannotOpen(path: store.path, reason: StoreError.reason(error))
            }
        }
        let core = Core(store: store, queue: queue, restartFrames: max(1, restartFrames), onError: onError)
        self.core = core
        let interval = max(0.01, seconds)
        worker = PeriodicWorker(
            name: "cordon-checkpt", urgency: .background, firstAfter: interval, interval: interval,
            round: { _ in
                do throws(StoreError) { try core.round() } catch { core.onError?(error) }
            },
            last: {
                try? core.round()
                try? core.queue?.close()
            })
    }

    /// Checkpoints once more and stops the thread; later calls do nothing.
    public func close() { worker.close() }

    /// Folds the live-state log and checkpoints now, on the caller's thread (tests).
    public func checkpoint() throws(StoreError) { try core.round() }

    /// What a round works on; the worker's thread and `checkpoint()` (tests) use it.
    private final class Core: Sendable {
        let store: Store
        let queue: DatabaseQueue?
        let onError: (@Sendable (StoreError) -> Void)?

        let restartFrames: Int

        init(store: Store, queue: DatabaseQueue?, restartFrames: Int, onError: (@Sendable (StoreError) -> Void)?) {
            self.store = store
            self.queue = queue
            self.restartFrames = restartFrames
            self.onError = onError
        }

        /// Rows folded per step, and at most per round: at 100,000 positions/s the commits
        /// append about 25,000 rows a second; a step of 5,000 deletes in a few milliseconds.
        static let foldStep = 5_000
        static let foldRound = 200_000

        /// The longest a round folds before it checkpoints: folding a busy second's rows takes
        /// the better part of a second, and the log grows meanwhile.
        static let checkpointEvery = 0.1

        func round() throws(StoreError) {
            var folded = 0
            var checkpointed = Date()
            while folded < Self.foldRound {
                let n = try store.foldLive(limit: Self.foldStep)
                folded += n
                if n < Self.foldStep { break }
                if -checkpointed.timeIntervalSinceNow >= Self.checkpointEvery {
                    try checkpoint()
                    checkpointed = Date()
                }
            }
            try checkpoint()
        }

        func checkpoint() throws(StoreError) {
            guard let queue else { return }
            do {
                try queue.writeWithoutTransaction { db in
                    let (logged, _) = try db.checkpoint(.passive)
                    // Commits that never pause always land while a passive checkpoint runs, so
                    // the log is never found wholly copied and never started over: it grew by
                    // 40 MB a second at 100,000 positions/s for as long as the load lasted, each
                    // new page zeroed by the kernel before it was written. Past `restartFrames`
                    // the frames the passive pass left are copied with writers held off (the
                    // bulk is done: a millisecond or two, and a sync of the database file), and
                    // the next commit writes the log from its start again.
                    if logged >= restartFrames { _ = try db.checkpoint(.restart) }
                }
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY {
                // Another connection is checkpointing (a commit that crossed the autocheckpoint
                // line, a backup): nothing is lost, and the next round catches up.
                return
            } catch {
                throw .writeFailed(operation: "checkpoint the write-ahead log", reason: StoreError.reason(error))
            }
        }
    }
}
