import CordonCore
import CordonStore
import Foundation

/// Writes what a periodic journal drain found of subjects that only moved, on a thread of its
/// own, so that the engine thread neither encodes nor commits it.
///
/// People and tags go into one blob of where each was last seen (``SubjectMovements``), kept
/// here across drains and written whole; vehicles, whose motion episodes move with them, as
/// rows. Each submission is one transaction, in order. A row carries its drain's sequence
/// number and the store keeps the newest, and a blob entry counts at a restart only when it is
/// newer than the subject's row, so nothing written here replaces what a later frame's commit
/// stored on the engine thread. Lost in a crash: at most the last second's movements, which the
/// first position after the restart corrects. Close it before its store.
final class JournalWriter: Sendable {
    private let core: Core

    init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
        core = Core(store: store, onError: onError)
        WorkerThread.start(name: "cordon-journal", urgency: .background) { [core] in core.run() }
    }

    deinit { core.close() }

    /// Queues rows to write; dropped once closing.
    func submit(_ subjects: [EngineSnapshot.Subject], sequence: UInt64) { core.submit(subjects, sequence: sequence) }

    /// Blocks until everything submitted is written.
    func flush() { core.flush() }

    /// Writes what is queued and stops the thread. Calling it again does nothing.
    func close() { core.close() }

    /// The state shared with the thread, guarded by `condition`; apart so that the thread does
    /// not keep the writer alive and its `deinit` can stop it.
    private final class Core: @unchecked Sendable {
        let store: Store
        let onError: @Sendable (StoreError) -> Void
        private let condition = NSCondition()
        private var queue: [(sequence: UInt64, subjects: [EngineSnapshot.Subject])] = []
        private var busy = false
        private var closing = false
        private var finished = false
        /// Only the writer thread touches it.
        private var movements = SubjectMovements()

        init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
            self.store = store
            self.onError = onError
        }

        func submit(_ subjects: [EngineSnapshot.Subject], sequence: UInt64) {
            guard !subjects.isEmpty else { return }
            condition.lock()
            defer { condition.unlock() }
            guard !closing else { return }
            queue.append((sequence, subjects))
            condition.signal()
        }

        func flush() {
            condition.lock()
            while (!queue.isEmpty || busy) && !finished { condition.wait() }
            condition.unlock()
        }

        func close() {
            condition.lock()
            closing = true
            condition.broadcast()
            while !finished { condition.wait() }
            condition.unlock()
        }

        func run() {
            while true {
                condition.lock()
                while queue.isEmpty && !closing { condition.wait() }
                if queue.isEmpty {
                    finished = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let item = queue.removeFirst()
                busy = true
                condition.unlock()
                do {
                    var vehicles: [EngineSnapshot.Subject] = []
                    for s in item.subjects {
                        if s.vehicle != nil { vehicles.append(s) } else { movements.merge(s) }
                    }
                    try store.saveLive(LiveState(sequence: item.sequence, subjects: SnapshotCodec.rows(vehicles),
                                                 movements: movements.encoded()))
                } catch {
                    // Nothing here but the store can fail now that rows are encoded by hand.
                    onError(error)
                }
                condition.lock()
                busy = false
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
