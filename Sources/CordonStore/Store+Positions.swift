import CordonCore
import GRDB

/// Track history: thinned positions, kept at least six months (the service decides when to prune).
extension Store {
    /// Appends positions in one transaction.
    public func appendPositions(_ points: [TrackPoint]) throws(StoreError) {
        guard !points.isEmpty else { return }
        try writeTracks("store \(points.count) position(s)") { db in try Self.insert(points, db) }
    }

    /// Positions of `subject` with `from <= t < until`, oldest first, at most `limit`.
    public func track(subject: SubjectKey, from: Instant, until: Instant, limit: Int = 10_000) throws(StoreError) -> [TrackPoint] {
        // Without ANALYZE's statistics SQLite prefers the (kind, t) index, two constraints to
        // one, and reads every person's day to find one: 5.7 s instead of 60 ms on a day of
        // 2,000 tags (docs/operations.md). The subject's own index is always the one.
        let rows = try readTracks("read the track of \(subject)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t, x, y, level, lon, lat, zone_id, speed FROM positions INDEXED BY positions_by_subject
                    WHERE subject_id = ? AND subject_kind = ? AND t >= ? AND t < ?
                    ORDER BY t, rowid LIMIT ?
                    """,
                arguments: [subject.id, subject.kind, from.milliseconds, until.milliseconds, max(0, limit)])
        }
        var points: [TrackPoint] = []
        points.reserveCapacity(rows.count)
        for row in rows {
            do {
                points.append(TrackPoint(
                    subject: subject, time: Instant(milliseconds: try row.decode(forColumn: "t")),
                    x: try row.decode(forColumn: "x"), y: try row.decode(forColumn: "y"),
                    level: try row.decode(forColumn: "level"),
                    lon: try row.decode(forColumn: "lon"), lat: try row.decode(forColumn: "lat"),
                    zoneID: try row.decode(forColumn: "zone_id"), speed: try row.decode(forColumn: "speed")))
            } catch {
                throw .corruptRecord(table: "positions", key: "\(subject)", reason: "\(error)")
            }
        }
        return points
    }

    /// Deletes positions older than `cutoff`; returns how many. Works in chunks of short
    /// transactions so that violations keep being committed while a large prune runs.
    @discardableResult
    public func prunePositions(olderThan cutoff: Instant, chunk: Int = 10_000) throws(StoreError) -> Int {
        var total = 0
        while true {
            let deleted = try writeTracks("prune positions older than \(cutoff)") { db in
                try db.execute(
                    sql: "DELETE FROM positions WHERE rowid IN (SELECT rowid FROM positions WHERE t < ? LIMIT ?)",
                    arguments: [cutoff.milliseconds, max(1, chunk)])
                return db.changesCount
            }
            total += deleted
            if deleted < max(1, chunk) { return total }
        }
    }

    /// Inserts through one prepared statement: this is the busiest insert of the service.
    static func insert(_ points: some Sequence<TrackPoint>, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO positions (subject_kind, subject_id, t, x, y, level, lon, lat, zone_id, speed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let row = RawStatement(statement)
        for p in points {
            row.nextRow()
            try row.bind(p.subject.kind, at: 1)
            try row.bind(p.subject.id, at: 2)
            try row.bind(p.time.milliseconds, at: 3)
            try row.bind(p.x, at: 4)
            try row.bind(p.y, at: 5)
            try row.bind(p.level, at: 6)
            try row.bind(p.lon, at: 7)
            try row.bind(p.lat, at: 8)
            try row.bind(p.zoneID, at: 9)
            try row.bind(p.speed, at: 10)
            try statement.execute()
        }
    }
}
