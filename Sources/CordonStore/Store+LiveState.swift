import CordonCore
import Foundation
import GRDB

/// The engine's live state, kept so that a crash loses none of it (docs/operations.md).
extension Store {
    /// The key of the state outside subjects in the `state` table.
    public static let liveGlobalsKey = "engine.live"
    /// The key of the blob of where moving subjects were last seen.
    public static let liveMovementsKey = "engine.movements"

    /// Stores live state on its own, in one transaction (the background write of subjects that
    /// only moved, and the full write at a clean stop). A subject row of an older sequence than
    /// the one stored is skipped.
    public func saveLive(_ live: LiveState) throws(StoreError) {
        guard !live.isEmpty else { return }
        try write("store the live state of \(live.subjects.count) subject(s)") { db in try Self.insert(live, db) }
    }

    /// What a restart rebuilds the engine from: the state outside subjects, every subject row,
    /// and where the moving subjects were last seen.
    public func loadLive() throws(StoreError) -> (globals: Data?, subjects: [Data], movements: Data?) {
        try read("load the live state") { db in
            (try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveGlobalsKey]),
             try Data.fetchAll(db, sql: "SELECT data FROM live_subjects ORDER BY subject"),
             try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveMovementsKey]))
        }
    }

    /// Sets every subject row's sequence back to 0, for a new run whose drains count from 1.
    public func resetLiveSequences() throws(StoreError) {
        try write("reset the live state's sequence numbers") { db in try db.execute(sql: "UPDATE live_subjects SET seq = 0") }
    }

    /// Forgets the live state (a test of a first start, or an operator starting afresh).
    public func clearLive() throws(StoreError) {
        try write("clear the live state") { db in
            try db.execute(sql: "DELETE FROM live_subjects")
            try db.execute(sql: "DELETE FROM state WHERE key IN (?, ?)", arguments: [Self.liveGlobalsKey, Self.liveMovementsKey])
        }
    }

    /// The rows of `live`, inside the caller's transaction.
    static func insert(_ live: LiveState, _ db: Database) throws {
        if !live.subjects.isEmpty {
            let seq = Int64(truncatingIfNeeded: live.sequence)
            let statement = try db.cachedStatement(sql: """
                INSERT INTO live_subjects (subject, seq, data) VALUES (?, ?, ?)
                ON CONFLICT(subject) DO UPDATE SET seq = excluded.seq, data = excluded.data
                WHERE excluded.seq >= live_subjects.seq
                """)
            for (key, data) in live.subjects {
                statement.setUncheckedArguments([key, seq, data])
                try statement.execute()
            }
        }
        for (key, data) in [(Self.liveGlobalsKey, live.globals), (Self.liveMovementsKey, live.movements)] {
            guard let data else { continue }
            try db.execute(
                sql: "INSERT INTO state (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
                arguments: [key, data])
        }
    }
}
