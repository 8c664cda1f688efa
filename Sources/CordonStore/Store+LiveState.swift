import CordonCore
import Foundation
import GRDB

/// The engine's live state, kept so that a crash loses none of it (docs/operations.md).
extension Store {
    /// The key of the state outside subjects in the `state` table.
    public static let liveGlobalsKey = "engine.live"
    /// The key under which stores before the `movements` table kept the blob of where moving
    /// subjects were last seen, in the main file's `state` table: still read, never written.
    public static let liveMovementsKey = "engine.movements"

    /// Stores live state on its own (the background write of subjects that only moved, and the
    /// full write at a clean stop). Subject rows and the state outside subjects go into the
    /// main file in one transaction; the movements blob into the track file's `movements` table,
    /// so that rewriting it every second never holds the lock a violation's commit waits for.
    /// A subject row of an older sequence than the one stored is skipped.
    public func saveLive(_ live: LiveState) throws(StoreError) {
        guard !live.isEmpty else { return }
        var main = live
        main.movements = nil
        if !main.isEmpty {
            try write("store the live state of \(live.subjects.count) subject(s)") { db in try Self.insert(main, db) }
        }
        if let blob = live.movements {
            try writeTracks("store where \(blob.count) bytes of moving subjects were last seen") { db in
                try db.execute(sql: "INSERT INTO movements (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                               arguments: [blob])
            }
        }
    }

    /// What a restart rebuilds the engine from: the state outside subjects, every subject row,
    /// and where the moving subjects were last seen (from an older store's main file when the
    /// track file has none yet).
    public func loadLive() throws(StoreError) -> (globals: Data?, subjects: [Data], movements: Data?) {
        let main = try read("load the live state") { db in
            (try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveGlobalsKey]),
             try Data.fetchAll(db, sql: "SELECT data FROM live_subjects ORDER BY subject"),
             try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveMovementsKey]))
        }
        let movements = try readTracks("load where moving subjects were last seen") { db in
            try Data.fetchOne(db, sql: "SELECT data FROM movements WHERE id = 1")
        }
        return (main.0, main.1, movements ?? main.2)
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
        try writeTracks("clear where moving subjects were last seen") { db in try db.execute(sql: "DELETE FROM movements") }
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
        if let data = live.globals {
            try db.execute(
                sql: "INSERT INTO state (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
                arguments: [Self.liveGlobalsKey, data])
        }
    }
}
