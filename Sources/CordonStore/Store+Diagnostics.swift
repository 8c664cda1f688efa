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
}
