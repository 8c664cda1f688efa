import CordonCore
import GRDB

/// Gates: access decisions, the presence ledger and bookings, kept so that a restart loses
/// none of them (docs/protocol.md, "Durable before published").
extension Store {
    /// Stores what one batch of input produced, in one transaction committed when this
    /// returns: its violations (as ``record(_:)`` does) and its gate passages — each decision
    /// with the exact body about to be published, the presence ledger's change, and the
    /// booking the passage used. On error nothing of the batch is stored, and nothing of it
    /// may be published.
    ///
    /// `live` is the engine's live state that the batch changed (zones entered with their
    /// times, a stillness begun…): stored in the same transaction, so that a restart finds the
    /// engine as it was after this batch.
    public func record(
        _ violations: [(violation: Violation, body: String)], gate: [(record: GateRecord, body: String)],
        live: LiveState? = nil
    ) throws(StoreError) {
        try record(violations, gate: gate, lives: live.map { [$0] } ?? [])
    }

    /// As ``record(_:gate:live:)``, with the live state of several batches in their order
    /// (the committer's group of them): each keeps its own sequence number. `audits` are
    /// audit entries that waited for the store (it refused writes when they were made): kept
    /// in the same transaction, so a retry never writes one twice; so are the `outbox` messages
    /// that forward these events (docs/forwarding.md).
    public func record(
        _ violations: [(violation: Violation, body: String)], gate: [(record: GateRecord, body: String)],
        lives: [LiveState], audits: [AuditEntry] = [], outbox: [OutboxMessage] = []
    ) throws(StoreError) {
        guard !violations.isEmpty || !gate.isEmpty || !audits.isEmpty || !outbox.isEmpty || lives.contains(where: { !$0.isEmpty }) else { return }
        let what = "record \(gate.count) gate passage(s) and \(violations.count) violation(s)"
        try write(what) { db in
            try Self.insert(violations, db)
            for a in audits { try Self.insert(audit: a, db) }
            // What is forwarded exists exactly when what it carries is stored.
            try Self.insert(outbox: outbox, db)
            for live in lives { try Self.insert(live, db) }
            for (r, body) in gate {
                var row = GatePassageRecord(r.decision, body: body)
                try row.insert(db)
                switch r.presence {
                case .entered(let e)?: try PresenceRecord(e).insert(db, onConflict: .replace)
                case .left(let key)?: _ = try PresenceRecord.deleteOne(db, key: key.description)
                case nil: break
                }
                if let b = r.booking { try BookingRecord(b).insert(db, onConflict: .replace) }
            }
        }
    }

    /// Inserts or replaces a booking as it now stands.
    public func saveBooking(_ b: Booking) throws(StoreError) {
        try write("store booking \(b.id)") { db in try BookingRecord(b).insert(db, onConflict: .replace) }
    }

    /// Every booking, by id.
    public func loadBookings() throws(StoreError) -> [Booking] {
        let rows = try read("load the bookings") { db in try BookingRecord.order(BookingRecord.CodingKeys.id).fetchAll(db) }
        var out: [Booking] = []
        out.reserveCapacity(rows.count)
        for r in rows { out.append(try r.value()) }
        return out
    }

    /// Who is on site by the gate record, by subject.
    public func loadPresence() throws(StoreError) -> [PresenceEntry] {
        let rows = try read("load the presence ledger") { db in
            try PresenceRecord.order(PresenceRecord.CodingKeys.subject).fetchAll(db)
        }
        var out: [PresenceEntry] = []
        out.reserveCapacity(rows.count)
        for r in rows { out.append(try r.entry()) }
        return out
    }

    /// Access decisions, oldest first: those with `from <= t < until`, at one gate and about one
    /// subject id when given, at most `limit` of them.
    public func passages(
        from: Instant? = nil, until: Instant? = nil, gate: String? = nil, subject: String? = nil, limit: Int = 1000
    ) throws(StoreError) -> [StoredPassage] {
        typealias C = GatePassageRecord.CodingKeys
        var query = GatePassageRecord.all()
        if let from { query = query.filter(C.t >= from.milliseconds) }
        if let until { query = query.filter(C.t < until.milliseconds) }
        if let gate { query = query.filter(C.gate == gate) }
        if let subject { query = query.filter(C.subjectID == subject) }
        let request = query.order(C.t, C.seq).limit(max(0, limit))
        return try read("query the gate passages") { db in try request.fetchAll(db) }.map(\.passage)
    }
}
