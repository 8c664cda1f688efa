import CordonCore
import CordonStore
import Foundation

/// Writes what a periodic journal drain found of people and tags that only moved, on a thread of
/// its own, so that the engine thread neither encodes nor commits it.
///
/// They go into one blob of where each was last seen (``SubjectMovements``), kept here across
/// drains and written whole into the track file, never the main one: the commit thread alone
/// writes that, so a violation's commit never waits behind this niced thread. A blob entry
/// counts at a restart only when it is newer than the subject's row, so nothing written here
/// replaces what a later frame's commit stored. Lost in a crash: at most the last second's
/// movements, which the first position after the restart corrects. Close it before its store.
final class JournalWriter: Sendable {
    private let core: Core

    init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
        core = Core(store: store, onError: onError)
        WorkerThread.start(name: "cordon-journal", urgency: .background) { [core] in core.run() }
    }

    deinit { core.close() }

    /// Queues a periodic drain's movements to write; dropped once closing.
    func submit(movements: [EngineJournal.Movement], newSlots: [(slot: Int, key: SubjectKey)], sequence: UInt64) {
        core.submit(.init(sequence: sequence, movements: movements, newSlots: newSlots))
    }

    /// One periodic drain's share.
    struct Drain {
        var sequence: UInt64
        var movements: [EngineJournal.Movement]
        var newSlots: [(slot: Int, key: SubjectKey)]
    }

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
        private var queue: [Drain] = []
        private var busy = false
        private var closing = false
        private var finished = false
        /// Only the writer thread touches these.
        private var movements = SubjectMovements()
        /// Each slot's subject key as the store names it (`person:P0042`), as drains announced them.
        private var names: [String] = []

        init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
            self.store = store
            self.onError = onError
        }

        func submit(_ drain: Drain) {
            condition.lock()
            defer { condition.unlock() }
            guard !closing else { return }
            queue.append(drain)
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
                    for (slot, key) in item.newSlots {
                        if slot >= names.count { names += repeatElement("", count: slot + 1 - names.count) }
                        names[slot] = "\(key.kind):\(key.id)"
                    }
                    for m in item.movements where m.slot < names.count && !names[m.slot].isEmpty {
                        movements.merge(m, key: names[m.slot])
                    }
                    if !item.movements.isEmpty {
                        try store.saveLive(LiveState(sequence: item.sequence, subjects: [], movements: movements.encoded()))
                    }
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
