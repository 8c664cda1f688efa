import GRDB

/// The schemas of the two files, as append-only lists of named migrations.
///
/// A released migration is never edited: a change to the schema is a new migration at the end
/// of the list, so that every file ever written by Cordon can be brought up to date.
enum StoreSchema {
    typealias Migration = (id: String, apply: @Sendable (Database) throws -> Void)

    /// `cordon.sqlite`, in the order they apply.
    static let main: [Migration] = [
        ("v1-registry", registry),
        ("v1-violations", violations),
        ("v1-dead-letters", deadLetters),
        ("v1-state", state),
        ("v2-gates", gates),
        ("v3-audit", audit),
        ("v-references", references),
        ("v-journal", journal),
        ("v-history-indexes", historyIndexes),
        ("v-outbox", outbox),
        ("v-live-log", liveLog),
    ]

    /// `tracks.sqlite`, in the order they apply.
    static let tracks: [Migration] = [
        ("v1-positions", positions),
        ("v-retention-index", positionsByKind),
        ("v-movements", movements),
        ("v-live-base", liveBase),
    ]

    static func migrator(_ migrations: [Migration]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for m in migrations {
            migrator.registerMigration(m.id, migrate: m.apply)
        }
        return migrator
    }

    /// Applies what is missing; refuses a file that a newer Cordon has migrated further.
    static func migrate(_ database: any DatabaseWriter, path: String, migrations: [Migration]) throws(StoreError) {
        let migrator = migrator(migrations)
        let applied: Set<String>
        do {
            applied = try database.read { try migrator.appliedIdentifiers($0) }
        } catch {
            throw .cannotOpen(path: path, reason: StoreError.reason(error))
        }
        let unknown = applied.subtracting(migrations.map(\.id))
        guard unknown.isEmpty else {
            throw .newerSchema(path: path, unknownMigrations: unknown.sorted())
        }
        do {
            try migrator.migrate(database)
        } catch {
            throw .migrationFailed(path: path, reason: StoreError.reason(error))
        }
    }

    /// `audit`: every control request that changes something, who sent it and what came of
    /// it (docs/protocol.md, "Transport"), kept as the violations are (3 years by default).
    private static func audit(_ db: Database) throws {
        try db.create(table: "audit") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("t", .integer).notNull()
            t.column("caller", .text).notNull()
            t.column("role", .text).notNull()
            t.column("op", .text).notNull()
            t.column("ok", .boolean).notNull()
            t.column("error_code", .text)
            t.column("request", .text).notNull()
            t.column("result", .text).notNull()
        }
        try db.create(index: "audit_by_time", on: "audit", columns: ["t"])
    }

    /// `people` and `vehicles`: one row per record, qualifications as a JSON array (always read
    /// and written whole with their person, never queried on their own).
    private static func registry(_ db: Database) throws {
        try db.create(table: "people") { t in
            t.primaryKey("id", .text)
            t.column("name", .text)
            t.column("role", .text)
            t.column("enterprise", .text)
            t.column("tag", .text)
            t.column("card", .text)
            t.column("contractor", .boolean).notNull().defaults(to: false)
            t.column("induction_until", .text)
            t.column("blacklisted", .boolean).notNull().defaults(to: false)
            t.column("qualifications", .jsonText).notNull().defaults(to: "[]")
        }
        try db.create(table: "vehicles") { t in
            t.primaryKey("plate", .text)
            t.column("kind", .text).notNull()
            t.column("enterprise", .text)
            t.column("tag", .text)
            t.column("blacklisted", .boolean).notNull().defaults(to: false)
        }
    }

    /// `violation_events`: the append-only history, one row per published raise or clear, with
    /// the exact body that was published. `alarms`: one row per condition ever raised, with its
    /// current state, so that open alarms can be restored after a restart.
    private static func violations(_ db: Database) throws {
        try db.create(table: "violation_events") { t in
            // AUTOINCREMENT: a sequence number is never reused, even after rows are deleted.
            t.autoIncrementedPrimaryKey("seq")
            t.column("id", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("state", .text).notNull()
            t.column("severity", .text).notNull()
            t.column("t", .integer).notNull()
            t.column("subject_kind", .text).notNull()
            t.column("subject_id", .text).notNull()
            t.column("scope", .text).notNull().defaults(to: "")
            t.column("zone_id", .text)
            t.column("details", .jsonText).notNull()
            t.column("body", .text).notNull()
        }
        try db.create(index: "violation_events_by_t", on: "violation_events", columns: ["t"])
        try db.create(index: "violation_events_by_subject", on: "violation_events", columns: ["subject_id", "t"])
        try db.create(index: "violation_events_by_kind", on: "violation_events", columns: ["kind", "t"])
        try db.create(index: "violation_events_by_id", on: "violation_events", columns: ["id"])

        try db.create(table: "alarms") { t in
            t.primaryKey("id", .text)
            t.column("kind", .text).notNull()
            t.column("subject_kind", .text).notNull()
            t.column("subject_id", .text).notNull()
            t.column("scope", .text).notNull().defaults(to: "")
            t.column("raised_at", .integer).notNull()
            // The history row of the raise: orders open alarms in raise order, stably (rowids
            // of a table with a text key may change on VACUUM).
            t.column("raised_seq", .integer).notNull()
            t.column("cleared_at", .integer)
            t.column("acknowledged_by", .text)
            t.column("acknowledged_at", .integer)
            t.column("violation", .jsonText).notNull()
        }
        try db.create(
            index: "alarms_open", on: "alarms", columns: ["raised_seq"],
            condition: Column("cleared_at") == nil)
    }

    private static func deadLetters(_ db: Database) throws {
        try db.create(table: "dead_letters") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("received_at", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("message", .text).notNull()
            t.column("raw", .text).notNull()
        }
        try db.create(index: "dead_letters_by_reason", on: "dead_letters", columns: ["reason"])
    }

    /// Opaque blobs by key: the engine's snapshot is its own business.
    private static func state(_ db: Database) throws {
        try db.create(table: "state") { t in
            t.primaryKey("key", .text)
            t.column("data", .blob).notNull()
        }
    }

    /// Gates: `gate_passages`, the append-only record of every access decision with the exact
    /// body published (reasons included; two indexes only, each costs every passage's commit); `presence`, who is on site now by gate record (one row per subject, put
    /// in by an entry and taken out by an exit, in the transaction of that passage);
    /// `bookings`, every booking with its status.
    private static func gates(_ db: Database) throws {
        try db.create(table: "gate_passages") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("id", .text).notNull()
            t.column("gate", .text).notNull()
            t.column("t", .integer).notNull()
            t.column("direction", .text).notNull()
            t.column("subject_kind", .text).notNull()
            t.column("subject_id", .text).notNull()
            t.column("decision", .text).notNull()
            t.column("booking", .text)
            t.column("tag", .text)
            t.column("body", .text).notNull()
        }
        try db.create(index: "gate_passages_by_t", on: "gate_passages", columns: ["t"])
        try db.create(index: "gate_passages_by_subject", on: "gate_passages", columns: ["subject_id", "t"])

        try db.create(table: "presence", options: [.withoutRowID]) { t in
            t.primaryKey("subject", .text)
            t.column("subject_kind", .text).notNull()
            t.column("subject_id", .text).notNull()
            t.column("since", .integer).notNull()
            t.column("gate", .text).notNull()
            t.column("tag", .text)
            t.column("tag_issued", .boolean).notNull().defaults(to: false)
            t.column("booking", .text)
            t.column("enterprise", .text)
            t.column("decision", .text).notNull()
        }

        try db.create(table: "bookings") { t in
            t.primaryKey("id", .text)
            t.column("plate", .text).notNull()
            t.column("gate", .text).notNull()
            t.column("status", .text).notNull()
            t.column("window_from", .integer).notNull()
            t.column("window_until", .integer).notNull()
            t.column("booking", .jsonText).notNull()
        }
        try db.create(index: "bookings_by_plate", on: "bookings", columns: ["plate"])
    }

    /// `reference_tags`: fixed tags at surveyed points (registry.upsert `references`).
    private static func references(_ db: Database) throws {
        try db.create(table: "reference_tags") { t in
            t.primaryKey("id", .text)
            t.column("tag", .text).notNull().unique()
            t.column("x", .double).notNull()
            t.column("y", .double).notNull()
            t.column("level", .integer).notNull().defaults(to: 0)
        }
    }

    /// `live_subjects`: the engine's live state per subject (zones with entry times, stillness,
    /// a pending fall, vehicle motion), one row each, replaced in the transaction of the frame
    /// that changed it. `seq` is the engine's drain number: a background write of an older
    /// drain never replaces a newer row. The state outside subjects is `state.engine.live`.
    private static func journal(_ db: Database) throws {
        try db.create(table: "live_subjects", options: [.withoutRowID]) { t in
            t.primaryKey("subject", .text)
            t.column("seq", .integer).notNull()
            t.column("data", .blob).notNull()
        }
    }

    /// What `history.violations` and `history.passages` filter by that had no index: a zone's
    /// violations, a gate's passages, acknowledgements by time (measured on a day of data:
    /// docs/operations.md). Each costs every insert one more b-tree; these three tables take a
    /// few rows a second, not positions.
    private static func historyIndexes(_ db: Database) throws {
        try db.create(index: "violation_events_by_zone", on: "violation_events", columns: ["zone_id", "t"])
        try db.create(index: "gate_passages_by_gate", on: "gate_passages", columns: ["gate", "t"])
        try db.create(index: "alarms_by_ack", on: "alarms", columns: ["acknowledged_at"], condition: Column("acknowledged_at") != nil)
    }

    /// Retention deletes people's and vehicles' positions by age, each class on its own: an
    /// index by (kind, time) finds the oldest without a scan. Rows arrive in time order, so
    /// the index grows at its end (one or two pages per commit).
    /// The live-state journal's blob of where each person and tag was last seen: rewritten
    /// every second, so it lives beside the positions, away from the main file's write lock
    /// that a violation's commit takes.
    /// `outbox`: what is to be forwarded to other platforms (docs/forwarding.md), written in the
    /// transaction of the event it carries and deleted once delivered or given up; `outbox_seq`:
    /// the last `seq` given per destination and stream; `forward_dead`: what was given up.
    private static func outbox(_ db: Database) throws {
        try db.create(table: "outbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("dest", .text).notNull()
            t.column("stream", .text).notNull()
            t.column("seq", .integer).notNull()
            t.column("msg_id", .text).notNull()
            t.column("type", .text).notNull()
            t.column("subject", .text).notNull()
            t.column("created", .integer).notNull()
            t.column("envelope", .text).notNull()
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("next_at", .integer).notNull().defaults(to: 0)
            t.column("last_error", .text)
        }
        try db.create(index: "outbox_by_dest", on: "outbox", columns: ["dest", "id"])
        try db.create(table: "outbox_seq") { t in
            t.column("dest", .text).notNull()
            t.column("stream", .text).notNull()
            t.column("last", .integer).notNull()
            t.primaryKey(["dest", "stream"])
        }
        try db.create(table: "forward_dead") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("dest", .text).notNull()
            t.column("msg_id", .text).notNull()
            t.column("type", .text).notNull()
            t.column("created", .integer).notNull()
            t.column("given_up", .integer).notNull()
            t.column("attempts", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("envelope", .text).notNull()
        }
    }

    /// `live_log`: the engine's subject rows as the frames' commits append them (subject, the
    /// drain's `seq`, the row), in commit order. Appending costs a commit a few pages where
    /// replacing each subject's row in `live_subjects` cost a page per subject. Folded in the
    /// background into the track file's `live_base` and deleted from here; `live_subjects`
    /// is only read (stores from before the log) and emptied at the next start.
    private static func liveLog(_ db: Database) throws {
        try db.create(table: "live_log") { t in
            t.column("subject", .text).notNull()
            t.column("seq", .integer).notNull()
            t.column("data", .blob).notNull()
        }
    }

    /// `live_base`: each subject's newest row folded from the main file's `live_log`, in the
    /// track file so that folding never holds the lock a violation's commit waits for.
    private static func liveBase(_ db: Database) throws {
        try db.create(table: "live_base", options: [.withoutRowID]) { t in
            t.primaryKey("subject", .text)
            t.column("seq", .integer).notNull()
            t.column("data", .blob).notNull()
        }
    }

    private static func movements(_ db: Database) throws {
        try db.create(table: "movements") { t in
            t.column("id", .integer).primaryKey().check { $0 == 1 }
            t.column("data", .blob).notNull()
        }
    }

    private static func positionsByKind(_ db: Database) throws {
        try db.create(index: "positions_by_kind_t", on: "positions", columns: ["subject_kind", "t"])
    }

    /// Thinned track history. Only the (subject, time) index: every other index would slow
    /// the busiest insert of the service.
    private static func positions(_ db: Database) throws {
        try db.create(table: "positions") { t in
            t.column("subject_kind", .text).notNull()
            t.column("subject_id", .text).notNull()
            t.column("t", .integer).notNull()
            t.column("x", .double).notNull()
            t.column("y", .double).notNull()
            t.column("level", .integer).notNull()
            t.column("lon", .double).notNull()
            t.column("lat", .double).notNull()
            t.column("zone_id", .text)
            t.column("speed", .double)
        }
        try db.create(index: "positions_by_subject", on: "positions", columns: ["subject_id", "t"])
    }
}
