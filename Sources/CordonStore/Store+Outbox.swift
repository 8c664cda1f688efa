import CordonCore
import GRDB

/// The forwarding outbox (docs/forwarding.md): messages are inserted in the transaction of the
/// event they carry (``record(_:gate:lives:audits:outbox:)``), so a message exists exactly when
/// its event is stored, and deleted once delivered. A restart, SIGKILL included, finds the
/// backlog where delivery stood.
extension Store {
    /// Inserts messages inside the caller's transaction, each given the next `seq` of its
    /// destination and stream.
    static func insert(outbox messages: [OutboxMessage], _ db: Database) throws {
        guard !messages.isEmpty else { return }
        let next = try db.cachedStatement(sql: """
            INSERT INTO outbox_seq (dest, stream, last) VALUES (?, ?, 1)
            ON CONFLICT(dest, stream) DO UPDATE SET last = last + 1
            RETURNING last
            """)
        let row = try db.cachedStatement(sql: """
            INSERT INTO outbox (dest, stream, seq, msg_id, type, subject, created, envelope, next_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
            """)
        for m in messages {
            next.setUncheckedArguments([m.destination, m.stream])
            let seq = try Int64.fetchOne(next) ?? 1
            row.setUncheckedArguments([m.destination, m.stream, seq, m.msgID, m.type, m.subject, m.created.milliseconds, m.envelope])
            try row.execute()
        }
    }

    /// Messages from outside an event's commit (an acknowledgement's), in a transaction of their own.
    public func appendOutbox(_ messages: [OutboxMessage]) throws(StoreError) {
        guard !messages.isEmpty else { return }
        try write("queue \(messages.count) message(s) to forward") { db in try Self.insert(outbox: messages, db) }
    }

    /// Latest wins: `m` replaces whatever of its destination and type is still undelivered (a
    /// newer headcount makes an older one worthless), or with `perSubject` only what is about
    /// the same subject (one vehicle's newer position replaces its older one, not another
    /// vehicle's). Returns how many it replaced.
    @discardableResult
    public func replaceOutbox(with m: OutboxMessage, perSubject: Bool = false) throws(StoreError) -> Int {
        try replaceOutbox(with: [m], perSubject: perSubject)
    }

    /// ``replaceOutbox(with:perSubject:)`` for a round of messages in one transaction (every
    /// hazmat vehicle's position at once: one commit, not one per vehicle).
    @discardableResult
    public func replaceOutbox(with messages: [OutboxMessage], perSubject: Bool) throws(StoreError) -> Int {
        guard let first = messages.first else { return 0 }
        return try write("queue \(messages.count) \(first.type) for \(first.destination)") { db in
            var replaced = 0
            for m in messages {
                if perSubject {
                    try db.execute(sql: "DELETE FROM outbox WHERE dest = ? AND stream = ? AND type = ? AND subject = ?",
                                   arguments: [m.destination, m.stream, m.type, m.subject])
                } else {
                    try db.execute(sql: "DELETE FROM outbox WHERE dest = ? AND stream = ? AND type = ?", arguments: [m.destination, m.stream, m.type])
                }
                replaced += db.changesCount
            }
            try Self.insert(outbox: messages, db)
            return replaced
        }
    }

    /// A destination's oldest undelivered messages after outbox id `after`, in delivery order.
    public func pendingOutbox(destination: String, after: Int64 = 0, limit: Int) throws(StoreError) -> [OutboxMessage] {
        try read("read the outbox of \(destination)") { db in
            try Row.fetchAll(db, sql: """
                SELECT id, dest, stream, seq, msg_id, type, subject, created, envelope, attempts, next_at, last_error
                FROM outbox WHERE dest = ? AND id > ? ORDER BY id LIMIT ?
                """, arguments: [destination, after, limit]).map { r in
                OutboxMessage(id: r["id"], destination: r["dest"], stream: r["stream"], seq: r["seq"], msgID: r["msg_id"], type: r["type"],
                              subject: r["subject"], created: Instant(milliseconds: r["created"]), envelope: r["envelope"],
                              attempts: r["attempts"], nextAt: Instant(milliseconds: r["next_at"]), lastError: r["last_error"])
            }
        }
    }

    /// Delivered: gone from the outbox.
    public func outboxDelivered(ids: [Int64]) throws(StoreError) {
        guard !ids.isEmpty else { return }
        try write("mark \(ids.count) forwarded message(s) delivered") { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?")
            for id in ids {
                delete.setUncheckedArguments([id])
                try delete.execute()
            }
        }
    }

    /// A failed attempt: counted, and not tried again before `nextAt`.
    public func outboxAttemptFailed(id: Int64, nextAt: Instant, error: String) throws(StoreError) {
        try write("note a failed delivery") { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?",
                           arguments: [nextAt.milliseconds, String(error.prefix(500)), id])
        }
    }

    /// Given up (a final refusal, or the destination's give-up time passed): moved to `forward_dead`.
    public func outboxGiveUp(_ m: OutboxMessage, at t: Instant, reason: String) throws(StoreError) {
        try write("give up forwarding \(m.msgID)") { db in
            try db.execute(sql: """
                INSERT INTO forward_dead (dest, msg_id, type, created, given_up, attempts, reason, envelope)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.destination, m.msgID, m.type, m.created.milliseconds, t.milliseconds, m.attempts + 1,
                                 String(reason.prefix(500)), m.envelope])
            try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [m.id])
        }
    }

    /// Backlog, oldest undelivered and messages given up, per destination named.
    public func outboxStatus(destinations: [String]) throws(StoreError) -> [OutboxStatus] {
        try read("read the outbox's status") { db in
            try destinations.map { d in
                let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(created) AS oldest FROM outbox WHERE dest = ?", arguments: [d])
                let dead = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM forward_dead WHERE dest = ?", arguments: [d]) ?? 0
                let oldest: Int64? = row?["oldest"]
                return OutboxStatus(destination: d, backlog: row?["n"] ?? 0, oldest: oldest.map(Instant.init(milliseconds:)), dead: dead)
            }
        }
    }
}
