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
    private let worker: QueueWorker<Drain>

    init(store: Store, onError: @escaping @Sendable (StoreError) -> Void) {
        let blob = Blob()
        worker = QueueWorker(name: "cordon-journal", urgency: .background) { drain in
            do throws(StoreError) { try blob.write(drain, to: store) } catch {
                // Nothing here but the store can fail now that rows are encoded by hand.
                onError(error)
            }
        }
    }

    deinit { worker.close() }

    /// Queues a periodic drain's movements to write; dropped once closing.
    func submit(movements: [EngineJournal.Movement], newSlots: [(slot: Int, key: SubjectKey)], sequence: UInt64) {
        worker.submit(.init(sequence: sequence, movements: movements, newSlots: newSlots))
    }

    /// One periodic drain's share.
    struct Drain: Sendable {
        var sequence: UInt64
        var movements: [EngineJournal.Movement]
        var newSlots: [(slot: Int, key: SubjectKey)]
    }

    /// Blocks until everything submitted is written.
    func flush() { worker.flush() }

    /// Writes what is queued and stops the thread. Calling it again does nothing.
    func close() { worker.close() }

    /// Where each subject was last seen, across drains: touched by the worker's thread only.
    private final class Blob: @unchecked Sendable {
        private var movements = SubjectMovements()
        /// Each slot's subject key as the store names it (`person:P0042`), as drains announced them.
        private var names: [String] = []

        func write(_ item: Drain, to store: Store) throws(StoreError) {
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
        }
    }
}
