import CordonCore
import GRDB

/// Retention: rows older than their class's period are deleted, a small batch per transaction,
/// so that a commit of the engine never waits long behind a sweep.
extension Store {
    /// Deletes at most `batch` rows of `cls` older than `cutoff`, in one short transaction;
    /// returns how many. For violations, the closed alarms of the raises deleted go too (open
    /// ones stay, however old: they are live state).
    @discardableResult
    public func pruneBatch(_ cls: RetentionClass, olderThan cutoff: Instant, batch: Int = 2000) throws(StoreError) -> Int {
        let (table, time, onTracks, condition) = cls.table
        let sql = """
            DELETE FROM \(table) WHERE rowid IN
              (SELECT rowid FROM \(table) WHERE \(time) < ? AND \(condition) ORDER BY \(time) LIMIT ?)
            """
        let body: (Database) throws -> Int = { db in
            var n = 0
            if cls == .violations {
                // The alarms of the raises about to go, when closed (by primary key: no scan of
                // a table that grows with every raise).
                try db.execute(sql: """
                    DELETE FROM alarms WHERE cleared_at IS NOT NULL AND id IN
                      (SELECT id FROM violation_events WHERE state = 'raised' AND rowid IN
                        (SELECT rowid FROM violation_events WHERE t < ? ORDER BY t LIMIT ?))
                    """, arguments: [cutoff.milliseconds, max(1, batch)])
                n += db.changesCount
            }
            try db.execute(sql: sql, arguments: [cutoff.milliseconds, max(1, batch)])
            return n + db.changesCount
        }
        return onTracks ? try writeTracks("prune \(cls.rawValue)", body) : try write("prune \(cls.rawValue)", body)
    }
}
