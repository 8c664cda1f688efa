import CordonCore
import GRDB

/// The questions asked after an incident: which violations, where, about whom, when, and who
/// acknowledged them.
extension Store {
    /// Raises, acknowledgements and clears matching `filter`, oldest first, at most `filter.limit`.
    ///
    /// Raises and clears come from `violation_events`; acknowledgements from `alarms`, with the
    /// zone and severity of their raise. The indexes used are `violation_events_by_t`,
    /// `…_by_kind`, `…_by_subject`, `…_by_zone` and `alarms_by_ack` (chosen by measuring these
    /// queries on a day of data: docs/operations.md).
    public func history(_ filter: HistoryFilter) throws(StoreError) -> [HistoryEntry] {
        var events: [String] = []
        var eventArgs: [(any DatabaseValueConvertible)?] = []
        var acks: [String] = ["a.acknowledged_at IS NOT NULL"]
        var ackArgs: [(any DatabaseValueConvertible)?] = []
        func both(_ e: String, _ a: String, _ v: any DatabaseValueConvertible) {
            events.append(e)
            eventArgs.append(v)
            acks.append(a)
            ackArgs.append(v)
        }
        if let from = filter.from { both("t >= ?", "a.acknowledged_at >= ?", from.milliseconds) }
        if let until = filter.until { both("t < ?", "a.acknowledged_at < ?", until.milliseconds) }
        if let kind = filter.kind { both("kind = ?", "a.kind = ?", kind) }
        if let zone = filter.zone { both("zone_id = ?", "e.zone_id = ?", zone) }
        if let subject = filter.subject { both("subject_id = ?", "a.subject_id = ?", subject) }
        if let id = filter.id { both("id = ?", "a.id = ?", id) }
        var parts: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if filter.step != .acknowledged {
            if let step = filter.step {
                events.append("state = ?")
                eventArgs.append(step.rawValue)
            }
            parts.append("""
                SELECT t, seq, 0 AS ord, state AS step, id, kind, severity, subject_kind, subject_id, scope, zone_id,
                       NULL AS by, body FROM violation_events
                """ + (events.isEmpty ? "" : " WHERE " + events.joined(separator: " AND ")))
            args += eventArgs
        }
        if filter.step == nil || filter.step == .acknowledged {
            parts.append("""
                SELECT a.acknowledged_at AS t, a.raised_seq AS seq, 1 AS ord, 'acknowledged' AS step, a.id, a.kind,
                       e.severity, a.subject_kind, a.subject_id, a.scope, e.zone_id, a.acknowledged_by AS by, NULL AS body
                FROM alarms a JOIN violation_events e ON e.seq = a.raised_seq WHERE
                """ + " " + acks.joined(separator: " AND "))
            args += ackArgs
        }
        let sql = parts.joined(separator: " UNION ALL ") + " ORDER BY t, seq, ord LIMIT ?"
        args.append(max(0, filter.limit))
        let rows = try read("query the violation history") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        }
        var out: [HistoryEntry] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            do {
                let stepText: String = try row.decode(forColumn: "step")
                guard let step = HistoryEntry.Step(rawValue: stepText) else {
                    throw StoreError.corruptRecord(table: "violation_events", key: "step", reason: "unknown state '\(stepText)'")
                }
                out.append(HistoryEntry(
                    step: step, time: Instant(milliseconds: try row.decode(forColumn: "t")), id: try row.decode(forColumn: "id"),
                    kind: try row.decode(forColumn: "kind"), severity: try row.decode(forColumn: "severity"),
                    subjectKind: try row.decode(forColumn: "subject_kind"), subjectID: try row.decode(forColumn: "subject_id"),
                    scope: try row.decode(forColumn: "scope"), zoneID: try row.decode(forColumn: "zone_id"),
                    by: try row.decode(forColumn: "by"), body: try row.decode(forColumn: "body")))
            } catch let e as StoreError {
                throw e
            } catch {
                throw .corruptRecord(table: "violation_events", key: "history row", reason: "\(error)")
            }
        }
        return out
    }
}
