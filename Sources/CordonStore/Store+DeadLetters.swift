import CordonCore
import GRDB

/// Dead letters: rejected ingest messages with their reason and raw text.
extension Store {
    /// Appends dead letters in one transaction.
    public func appendDeadLetters(_ letters: [DeadLetter]) throws(StoreError) {
        guard !letters.isEmpty else { return }
        try write("store \(letters.count) dead letter(s)") { db in try Self.insert(letters, db) }
    }

    /// The most recent dead letters, newest first.
    public func deadLetters(limit: Int = 100) throws(StoreError) -> [DeadLetter] {
        let rows = try read("read dead letters") { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, received_at, reason, message, raw FROM dead_letters ORDER BY seq DESC LIMIT ?",
                arguments: [max(0, limit)])
        }
        var letters: [DeadLetter] = []
        letters.reserveCapacity(rows.count)
        for row in rows {
            do {
                letters.append(DeadLetter(
                    receivedAt: Instant(milliseconds: try row.decode(forColumn: "received_at")),
                    reason: try row.decode(forColumn: "reason"), message: try row.decode(forColumn: "message"),
                    raw: try row.decode(forColumn: "raw")))
            } catch {
                let seq: Int64? = try? row.decode(forColumn: "seq")
                throw .corruptRecord(table: "dead_letters", key: "seq \(seq.map(String.init) ?? "?")", reason: "\(error)")
            }
        }
        return letters
    }

    /// How many dead letters are stored, by reason code.
    public func deadLetterCounts() throws(StoreError) -> [String: Int] {
        let rows = try read("count dead letters") { db in
            try Row.fetchAll(db, sql: "SELECT reason, COUNT(*) AS n FROM dead_letters GROUP BY reason")
        }
        var counts: [String: Int] = [:]
        for row in rows {
            do {
                counts[try row.decode(forColumn: "reason")] = try row.decode(forColumn: "n")
            } catch {
                throw .corruptRecord(table: "dead_letters", key: "counts", reason: "\(error)")
            }
        }
        return counts
    }

    /// Deletes dead letters received before `cutoff`; returns how many.
    @discardableResult
    public func pruneDeadLetters(receivedBefore cutoff: Instant) throws(StoreError) -> Int {
        try write("prune dead letters") { db in
            try db.execute(sql: "DELETE FROM dead_letters WHERE received_at < ?", arguments: [cutoff.milliseconds])
            return db.changesCount
        }
    }

    static func insert(_ letters: some Sequence<DeadLetter>, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO dead_letters (received_at, reason, message, raw) VALUES (?, ?, ?, ?)")
        for d in letters {
            statement.setUncheckedArguments([d.receivedAt.milliseconds, d.reason, d.message, d.raw])
            try statement.execute()
        }
    }
}
