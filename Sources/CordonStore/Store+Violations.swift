import CordonCore
import GRDB

/// Violations: the append-only history, and the alarms that survive a restart.
extension Store {
    /// Stores a batch of published violations in one transaction, committed when this returns.
    ///
    /// Call it before publishing: what a subscriber has seen, the store has. Each item is one
    /// history row with `body`, the exact text about to be published. A raise also opens the
    /// alarm with its id (replacing a closed alarm that had the same id); a clear closes it.
    /// On error nothing of the batch is stored, and nothing of it may be published.
    public func record(_ items: [(violation: Violation, body: String)]) throws(StoreError) {
        guard !items.isEmpty else { return }
        try write("record \(items.count) violation(s) starting with \(items[0].violation.id)") { db in
            try Self.insert(items, db)
        }
    }

    /// The rows of a batch of violations, inside the caller's transaction.
    static func insert(_ items: [(violation: Violation, body: String)], _ db: Database) throws {
        // Prepared once per connection: the Record API builds its SQL on every insert, and this
        // runs for every violation on the engine's thread.
        let history = try db.cachedStatement(sql: """
            INSERT INTO violation_events (id, kind, state, severity, t, subject_kind, subject_id, scope, zone_id, details, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in items {
            let v = item.violation
            let e = ViolationEventRecord(v, body: item.body)
            history.setUncheckedArguments([e.id, e.kind, e.state, e.severity, e.t, e.subjectKind, e.subjectID, e.scope, e.zoneID, e.details, e.body])
            try history.execute()
            switch v.state {
            case .raised:
                let a = AlarmRecord(raised: v, seq: db.lastInsertedRowID)
                let open = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO alarms (id, kind, subject_kind, subject_id, scope, raised_at, raised_seq,
                        cleared_at, acknowledged_by, acknowledged_at, violation)
                    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)
                    """)
                open.setUncheckedArguments([a.id, a.kind, a.subjectKind, a.subjectID, a.scope, a.raisedAt, a.raisedSeq, a.violation])
                try open.execute()
            case .cleared:
                // A clear of an alarm the store never saw raised is still history: the
                // history row above is kept, and there is nothing to close.
                let close = try db.cachedStatement(sql: "UPDATE alarms SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL")
                close.setUncheckedArguments([v.time.milliseconds, v.id])
                try close.execute()
            }
        }
    }

    /// Stores one published violation, as the batch form does.
    public func record(_ violation: Violation, body: String) throws(StoreError) {
        try record([(violation: violation, body: body)])
    }

    /// Violations raised and not cleared, exactly as raised, in raise order: what the engine
    /// restores after a restart. (A non-finite number in `details` comes back as null: JSON,
    /// published or stored, has no such numbers.)
    public func openAlarms() throws(StoreError) -> [Violation] {
        try activeAlarms().map(\.violation)
    }

    /// Open alarms with their acknowledgements, in raise order.
    public func activeAlarms() throws(StoreError) -> [Alarm] {
        let rows = try read("load the open alarms") { db in
            try AlarmRecord
                .filter(AlarmRecord.CodingKeys.clearedAt == nil)
                .order(AlarmRecord.CodingKeys.raisedSeq)
                .fetchAll(db)
        }
        var alarms: [Alarm] = []
        alarms.reserveCapacity(rows.count)
        for r in rows { alarms.append(try r.alarm()) }
        return alarms
    }

    /// The alarm with this id, open or cleared, or nil.
    public func alarm(id: String) throws(StoreError) -> Alarm? {
        let row = try read("load alarm \(id)") { db in try AlarmRecord.fetchOne(db, key: id) }
        return try row?.alarm()
    }

    /// Records who acknowledged an alarm and when; the first acknowledgement is the one kept.
    /// Works on a cleared alarm too (an event kind is cleared by its acknowledgement). `outbox`
    /// messages (its forwarding) are queued in the same transaction, with the first acknowledgement only.
    /// Throws ``StoreError/unknownAlarm(id:)`` for an id never raised.
    @discardableResult
    public func acknowledge(id: String, by: String, at time: Instant, outbox: [OutboxMessage] = []) throws(StoreError) -> Alarm {
        let row = try write("acknowledge alarm \(id)") { db in
            guard var r = try AlarmRecord.fetchOne(db, key: id) else { throw StoreError.unknownAlarm(id: id) }
            if r.acknowledgedAt == nil {
                r.acknowledgedBy = by
                r.acknowledgedAt = time.milliseconds
                try r.update(db)
                // Forwarded exactly when it is stored: a retry that finds it acknowledged sends nothing twice.
                try Self.insert(outbox: outbox, db)
            }
            return r
        }
        return try row.alarm()
    }

    /// The history, oldest first: events with `from <= t < until`, of one kind and one subject
    /// id when given, at most `limit` of them.
    public func violations(
        from: Instant? = nil, until: Instant? = nil, kind: ViolationKind? = nil, subject: String? = nil,
        limit: Int = 1000
    ) throws(StoreError) -> [ViolationEvent] {
        typealias C = ViolationEventRecord.CodingKeys
        var query = ViolationEventRecord.all()
        if let from { query = query.filter(C.t >= from.milliseconds) }
        if let until { query = query.filter(C.t < until.milliseconds) }
        if let kind { query = query.filter(C.kind == kind.rawValue) }
        if let subject { query = query.filter(C.subjectID == subject) }
        let request = query.order(C.t, C.seq).limit(max(0, limit))
        let rows = try read("query the violation history") { db in try request.fetchAll(db) }
        var events: [ViolationEvent] = []
        events.reserveCapacity(rows.count)
        for r in rows { events.append(try r.event()) }
        return events
    }
}
