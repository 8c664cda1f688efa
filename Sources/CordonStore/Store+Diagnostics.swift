import GRDB

/// What an operator (or a test) may want to know about the file itself.
extension Store {
    /// The schema migrations applied: those of the main file, then those of the track file.
    public func appliedMigrations() throws(StoreError) -> [String] {
        let main = StoreSchema.migrator(StoreSchema.main)
        let tracks = StoreSchema.migrator(StoreSchema.tracks)
        return try read("list applied migrations") { db in try main.completedMigrations(db) }
            + readTracks("list applied migrations") { db in try tracks.completedMigrations(db) }
    }

    /// The value of a pragma (`journal_mode`, `synchronous`, `busy_timeout`…) as the writing
    /// connection of the main file (or of the track file) sees it.
    public func pragma(_ name: String, ofTracks: Bool = false) throws(StoreError) -> String? {
        // Pragma names cannot be bound as parameters: accept only a plain identifier.
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) else {
            throw .readFailed(operation: "read pragma '\(name)'", reason: "not a pragma name")
        }
        let body: (Database) throws -> String? = { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        return ofTracks ? try writeTracks("read pragma \(name)", body) : try write("read pragma \(name)", body)
    }

    /// Caps the main file at its present size plus `extraPages` pages (SQLite's
    /// `max_page_count` on the writing connection), or lifts the cap with nil. A commit that
    /// needs more fails exactly as on a full disk (SQLITE_FULL): how a full disk is rehearsed.
    public func capSize(extraPages: Int?) throws(StoreError) {
        try write("cap the file's size") { db in
            if let extra = extraPages {
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages + max(0, extra))")
            } else {
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = 4294967294")
            }
        }
    }
}
