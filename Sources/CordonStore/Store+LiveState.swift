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

    /// What a restart rebuilds the engine from: the state outside subjects, every subject's
    /// newest row (folded rows, rows of a store from before the log, then the log in commit
    /// order; a row of an older sequence never replaces a newer one), sorted by subject, and
    /// where the moving subjects were last seen (from an older store's main file when the
    /// track file has none yet).
    public func loadLive() throws(StoreError) -> (globals: Data?, subjects: [Data], movements: Data?) {
        var newest: [String: (seq: Int64, data: Data)] = [:]
        func lay(_ rows: [Row]) {
            for row in rows {
                let subject: String = row["subject"]
                let seq: Int64 = row["seq"]
                if let old = newest[subject], old.seq > seq { continue }
                newest[subject] = (seq, row["data"])
            }
        }
        let (base, movements) = try readTracks("load the folded live state") { db in
            (try Row.fetchAll(db, sql: "SELECT subject, seq, data FROM live_base"),
             try Data.fetchOne(db, sql: "SELECT data FROM movements WHERE id = 1"))
        }
        lay(base)
        let main = try read("load the live state") { db in
            (try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveGlobalsKey]),
             try Row.fetchAll(db, sql: "SELECT subject, seq, data FROM live_subjects"),
             try Row.fetchAll(db, sql: "SELECT subject, seq, data FROM live_log ORDER BY rowid"),
             try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Self.liveMovementsKey]))
        }
        lay(main.1)
        lay(main.2)
        let subjects = newest.keys.sorted().compactMap { newest[$0]?.data }
        return (main.0, subjects, movements ?? main.3)
    }

    /// Moves up to `limit` of the oldest logged subject rows into the folded set in the track
    /// file, then deletes them from the log; returns how many. The log is what a frame's commit
    /// appends to (a few pages, where replacing rows in place rewrote a page per subject: 13x
    /// the write-ahead log at 100,000 positions/s, docs/performance.md); this keeps it short
    /// without ever holding the main file's write lock for more than the delete. A crash
    /// between the two steps leaves rows in both, which a restart lays over each other to the
    /// same result.
    @discardableResult
    public func foldLive(limit: Int = 5_000) throws(StoreError) -> Int {
        let rows = try read("read the live-state log") { db -> [(rowid: Int64, subject: String, seq: Int64, data: Data)] in
            let statement = try db.cachedStatement(sql: "SELECT rowid, subject, seq, data FROM live_log ORDER BY rowid LIMIT ?")
            let query = RawStatement(statement)
            try query.bind(max(1, limit), at: 1)
            var rows: [(rowid: Int64, subject: String, seq: Int64, data: Data)] = []
            while try query.step() {
                rows.append((query.int64(at: 0), query.text(at: 1), query.int64(at: 2), query.blob(at: 3)))
            }
            query.nextRow()
            return rows
        }
        guard let last = rows.last?.rowid else { return 0 }
        // A busy subject appears many times in a step; only the row the upserts below would
        // leave standing is written: the last of those with the highest drain number (applied
        // one by one with `>=`, the rows of a step end the same way).
        var winner: [String: Int] = [:]
        winner.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            if let w = winner[row.subject], rows[w].seq > row.seq { continue }
            winner[row.subject] = i
        }
        let kept = winner.values.sorted()
        try writeTracks("fold \(rows.count) live-state row(s)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO live_base (subject, seq, data) VALUES (?, ?, ?)
                ON CONFLICT(subject) DO UPDATE SET seq = excluded.seq, data = excluded.data
                WHERE excluded.seq >= live_base.seq
                """)
            let upsert = RawStatement(statement)
            for i in kept {
                let row = rows[i]
                upsert.nextRow()
                try upsert.bind(row.subject, at: 1)
                try upsert.bind(row.seq, at: 2)
                try upsert.bind(row.data, at: 3)
                try statement.execute()
            }
        }
        try write("delete \(rows.count) folded live-state row(s)") { db in
            try db.execute(sql: "DELETE FROM live_log WHERE rowid <= ?", arguments: [last])
        }
        return rows.count
    }

    /// Folds everything and sets every subject row's sequence back to 0, for a new run whose
    /// drains count from 1 (at start-up, before any drain of the new run is stored).
    public func resetLiveSequences() throws(StoreError) {
        // A store from before the log: its rows join the log once, and fold with it.
        try write("move the live rows of an older store into the log") { db in
            try db.execute(sql: "INSERT INTO live_log (subject, seq, data) SELECT subject, seq, data FROM live_subjects")
            try db.execute(sql: "DELETE FROM live_subjects")
        }
        while try foldLive(limit: 50_000) > 0 {}
        try writeTracks("reset the live state's sequence numbers") { db in try db.execute(sql: "UPDATE live_base SET seq = 0") }
    }

    /// Forgets the live state (a test of a first start, or an operator starting afresh).
    public func clearLive() throws(StoreError) {
        try write("clear the live state") { db in
            try db.execute(sql: "DELETE FROM live_subjects")
            try db.execute(sql: "DELETE FROM live_log")
            try db.execute(sql: "DELETE FROM state WHERE key IN (?, ?)", arguments: [Self.liveGlobalsKey, Self.liveMovementsKey])
        }
        try writeTracks("clear the folded live state and where moving subjects were last seen") { db in
            try db.execute(sql: "DELETE FROM live_base")
            try db.execute(sql: "DELETE FROM movements")
        }
    }

    /// The rows of `live`, inside the caller's transaction: appended to the log, which a
    /// background fold keeps short (``foldLive(limit:)``).
    static func insert(_ live: LiveState, _ db: Database) throws {
        if !live.subjects.isEmpty {
            let seq = Int64(truncatingIfNeeded: live.sequence)
            let statement = try db.cachedStatement(sql: "INSERT INTO live_log (subject, seq, data) VALUES (?, ?, ?)")
            let row = RawStatement(statement)
            for (key, data) in live.subjects {
                row.nextRow()
                try row.bind(key, at: 1)
                try row.bind(seq, at: 2)
                try row.bind(data, at: 3)
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
