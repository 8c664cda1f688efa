import CordonCore
import CordonStore
import Foundation

/// The engine's live state in the store, so that a crash at any moment loses none of what
/// a restart needs (docs/operations.md "What a restart recovers").
///
/// After every frame, tick and control request the engine's journal is drained: subjects whose
/// lasting state changed (zones with entry times, stillness, a pending fall, vehicle episodes)
/// and the rule state outside subjects go into the same transaction as that frame's violations
/// and gate passages — one commit, as before, and none at all for a frame that changed nothing
/// lasting. Once a second the subjects that only moved are handed to ``JournalWriter`` for a
/// background write. A restart reads these rows (over the older full snapshot, if any).
extension Pipeline {
    /// The live state a commit must carry now, encoded; nil when nothing lasting changed.
    /// Subjects that only moved (periodic drains) go to the background writer.
    func drainLive(periodic: Bool = false) -> LiveState? {
        guard store != nil, keepsJournal, let j = engine.drainJournal(periodic: periodic) else { return nil }
        if !j.moved.isEmpty { journalWriter?.submit(j.moved, sequence: j.sequence) }
        guard !j.changed.isEmpty || j.globals != nil else { return nil }
        do {
            return LiveState(sequence: j.sequence, subjects: try SnapshotCodec.rows(j.changed),
                             globals: try j.globals.map(SnapshotCodec.encode))
        } catch {
            logger.error("could not encode the live state: \(error)")
            return nil
        }
    }

    /// Stores what changed in the live state with nothing else to commit (after a control
    /// request, and once a second with the subjects that only moved).
    public func commitJournal(periodic: Bool = false) {
        guard let store else { return }
        guard let live = drainLive(periodic: periodic) else { return }
        do {
            try store.saveLive(live)
        } catch {
            logger.error("could not store the live state: \(error)")
        }
    }

    /// The whole live state, synchronously (at a clean stop).
    func saveFullLive(_ store: Store) throws {
        journalWriter?.flush()
        let snap = engine.snapshot()
        var globals = snap
        globals.subjects = []
        // Newer than any drain so far (the writer is idle and nothing else writes now).
        let sequence = (engine.drainJournal(periodic: true)?.sequence ?? 0) + 1
        try store.saveLive(LiveState(sequence: sequence, subjects: try SnapshotCodec.rows(snap.subjects),
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
        s.subjects = byKey.keys.sorted().compactMap { byKey[$0] }
        // This run numbers its drains from 1 again: the rows of the last run must not outrank them.
        try store.resetLiveSequences()
        return s
    }
}

