import CordonCore
import GRDB

/// The audit of changing control requests: written before the reply is sent.
extension Store {
    /// Keeps one entry; when this returns, it survives a crash of the process.
    public func appendAudit(_ e: AuditEntry) throws(StoreError) {
        try write("store the audit of '\(e.op)'") { db in try Self.insert(audit: e, db) }
    }

    /// One entry's row, inside the caller's transaction.
    static func insert(audit e: AuditEntry, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO audit (t, caller, role, op, ok, error_code, request, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [e.time.milliseconds, e.caller, e.role, e.op, e.ok, e.errorCode, e.request, e.result])
    }

    /// Entries from `from` (inclusive) to `until` (exclusive), oldest first, optionally of one
    /// caller or op; at most `limit`.
    public func audit(from: Instant, until: Instant, caller: String? = nil, op: String? = nil, limit: Int = 1000) throws(StoreError) -> [AuditEntry] {
        var sql = "SELECT seq, t, caller, role, op, ok, error_code, request, result FROM audit WHERE t >= ? AND t < ?"
        var args: [any DatabaseValueConvertible] = [from.milliseconds, until.milliseconds]
        if let caller { sql += " AND caller = ?"; args.append(caller) }
        if let op { sql += " AND op = ?"; args.append(op) }
        sql += " ORDER BY seq LIMIT ?"
        args.append(max(0, limit))
        let rows = try read("read the audit") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        }
        var out: [AuditEntry] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            do {
                out.append(AuditEntry(
                    seq: try row.decode(forColumn: "seq"), time: Instant(milliseconds: try row.decode(forColumn: "t")),
                    caller: try row.decode(forColumn: "caller"), role: try row.decode(forColumn: "role"),
                    op: try row.decode(forColumn: "op"), ok: try row.decode(forColumn: "ok"),
                    errorCode: try row.decode(forColumn: "error_code"), request: try row.decode(forColumn: "request"),
                    result: try row.decode(forColumn: "result")))
            } catch {
                let seq: Int64? = try? row.decode(forColumn: "seq")
                throw .corruptRecord(table: "audit", key: "seq \(seq.map(String.init) ?? "?")", reason: "\(error)")
            }
        }
        return out
    }
}
