import CordonCore
import CordonStore
import Foundation

/// Writes the rows of subjects that only moved (a periodic journal drain) on a thread of its
/// own, so that the engine thread neither encodes nor commits them.
///
/// Each submission is one transaction, in order. A row carries its drain's sequence number and
/// the store keeps the newest, so a row written here never replaces the one a later frame's
/// commit stored on the engine thread. Lost in a crash: at most the last second's movements,
/// which the first position after the restart corrects. Close it before its store.
final class JournalWriter: Sendable {
    private let core: Core

    init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
        core = Core(store: store, onError: onError)
        let thread = Thread { [core] in core.run() }
        thread.name = "cordon.journal-writer"
        thread.start()
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
                    try store.saveLive(LiveState(sequence: item.sequence, subjects: try SnapshotCodec.rows(item.subjects)))
                } catch let e as StoreError {
                    onError(e)
                } catch {
                    onError(.writeFailed(operation: "encode the live state", reason: "\(error)"))
                }
                condition.lock()
                busy = false
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
