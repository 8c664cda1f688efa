import CordonCore
import CordonStore
import Foundation
import Logging

/// The engine's live state in the store, so that a crash at any moment loses none of what
/// a restart needs (docs/operations.md "What a restart recovers").
///
/// After every frame, tick and control request the engine's journal is drained: subjects whose
/// lasting state changed (zones with entry times, stillness, a pending fall, vehicle episodes)
/// and the rule state outside subjects go into the same transaction as that frame's violations
/// and gate passages — one commit, as before, and none at all for a frame that changed nothing
/// lasting. Once a second the people and tags that only moved are handed to ``JournalWriter``
/// for a background write into the track file (one blob of where they were last seen,
/// ``SubjectMovements``); vehicles that only moved go with that second's commit as rows. A
/// restart reads these rows and the blob (over the older full snapshot, if any).
extension Pipeline {
    /// What the next commit must carry of the live state; nil when nothing lasting changed.
    /// Subjects that only moved (periodic drains) go to the background writer. Encoding is
    /// left to the committer's thread.
    func drainJournal(periodic: Bool = false) -> EngineJournal? {
        guard store != nil, keepsJournal, var j = engine.drainJournal(periodic: periodic) else { return nil }
        if !j.movements.isEmpty || !j.newSlots.isEmpty {
            journalWriter?.submit(movements: j.movements, newSlots: j.newSlots, sequence: j.sequence)
            j.movements = []
            j.newSlots = []
        }
        // Vehicles that moved go with the commit as rows: the main file is written by the
        // commit thread alone, so a violation never waits behind a niced writer holding it.
        if !j.moved.isEmpty {
            j.changed += j.moved
            j.moved = []
        }
        return j.changed.isEmpty && j.globals == nil ? nil : j
    }

    /// Stores what changed in the live state with nothing else to commit (after a control
    /// request, and once a second with the subjects that only moved), in order with the
    /// frames' commits.
    public func commitJournal(periodic: Bool = false) {
        guard let committer, let j = drainJournal(periodic: periodic) else { return }
        committer.submit(.init(encoded: [], outputs: [], passages: [], journal: j))
    }

    /// The whole live state, synchronously (at a clean stop).
    func saveFullLive(_ store: Store) throws {
        journalWriter?.flush()
        let snap = engine.snapshot()
        var globals = snap
        globals.subjects = []
        // Newer than any drain so far (the writer is idle and nothing else writes now).
        let sequence = (engine.drainJournal(periodic: true)?.sequence ?? 0) + 1
        try store.saveLive(LiveState(sequence: sequence, subjects: SnapshotCodec.rows(snap.subjects),
                                     globals: try SnapshotCodec.encode(globals)))
    }

    /// The snapshot a restart takes back: the older full snapshot if there is one, its global
    /// state replaced by the live one and its subjects by their live rows.
    func loadSnapshot(_ store: Store) throws -> EngineSnapshot? {
        var snap = try store.loadState(key: Self.snapshotKey).map(SnapshotCodec.decode)
        let live = try store.loadLive()
        if let g = live.globals { snap = try SnapshotCodec.decode(g) }
        // Subject rows without any global state: the rest as a fresh engine has it.
        guard var s = snap ?? (live.subjects.isEmpty ? nil : engine.snapshot()) else { return nil }
        var byKey: [String: EngineSnapshot.Subject] = [:]
        for sub in s.subjects { byKey[SnapshotCodec.key(sub)] = sub }
        let decoder = JSONDecoder()
        for d in live.subjects {
            let sub = try SnapshotCodec.decodeSubject(d, decoder)
            byKey[SnapshotCodec.key(sub)] = sub
        }
        if let blob = live.movements {
            do {
                let movements = try SubjectMovements(decoding: blob)
                for (k, var sub) in byKey {
                    movements.apply(to: &sub)
                    byKey[k] = sub
                }
            } catch {
                // The rows alone are a consistent state, at most a second older in position.
                logger.error("the stored movements were not read, subjects restart where their rows put them: \(error)")
            }
        }
        s.subjects = byKey.keys.sorted().compactMap { byKey[$0] }
        // This run numbers its drains from 1 again: the rows of the last run must not outrank them.
        try store.resetLiveSequences()
        return s
    }
}

