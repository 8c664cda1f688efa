import CordonCore
import GRDB

/// A row of `gate_passages`: one access decision, as published.
struct GatePassageRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "gate_passages"

    var seq: Int64?
    var id: String
    var gate: String
    /// Milliseconds since the epoch.
    var t: Int64
    var direction: String
    var subjectKind: String
    var subjectID: String
    /// `granted` or `denied` (the reasons are in `body`).
    var decision: String
    var booking: String?
    var tag: String?
    /// The exact published body.
    var body: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case seq, id, gate, t, direction
        case subjectKind = "subject_kind"
        case subjectID = "subject_id"
        case decision, booking, tag, body
    }

    init(_ d: AccessDecision, body: String) {
        id = d.id
        gate = d.gate
        t = d.time.milliseconds
        direction = d.direction.rawValue
        subjectKind = d.subject.kind
        subjectID = d.subject.id
        decision = d.word
        booking = d.booking
        tag = d.tag
        self.body = body
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        seq = inserted.rowID
    }

    var passage: StoredPassage {
        StoredPassage(seq: seq ?? 0, id: id, gate: gate, time: Instant(milliseconds: t), direction: direction,
                      subjectKind: subjectKind, subjectID: subjectID, decision: decision, body: body)
    }
}

/// A row of `presence`: one subject on site by the gate record.
struct PresenceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "presence"

    var subject: String
    var subjectKind: String
    var subjectID: String
    var since: Int64
    var gate: String
    var tag: String?
    var tagIssued: Bool
    var booking: String?
    var enterprise: String?
    var decision: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case subject
        case subjectKind = "subject_kind"
        case subjectID = "subject_id"
        case since, gate, tag
        case tagIssued = "tag_issued"
        case booking, enterprise, decision
    }

    init(_ e: PresenceEntry) {
        subject = e.subject.description
        subjectKind = e.subject.kind
        subjectID = e.subject.id
        since = e.since.milliseconds
        gate = e.gate
        tag = e.tag
        tagIssued = e.tagIssued
        booking = e.booking
        enterprise = e.enterprise
        decision = e.decision
    }

    func entry() throws(StoreError) -> PresenceEntry {
        guard let key = SubjectKey(subject) else {
            throw .corruptRecord(table: Self.databaseTableName, key: subject, reason: "not a subject key (person:…, vehicle:…)")
        }
        return PresenceEntry(subject: key, since: Instant(milliseconds: since), gate: gate, tag: tag, tagIssued: tagIssued,
                             booking: booking, enterprise: enterprise, decision: decision)
    }
}

/// A row of `bookings`: the booking as JSON, with the columns it is looked up by.
struct BookingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "bookings"

    var id: String
    var plate: String
    var gate: String
    var status: String
    var windowFrom: Int64
    var windowUntil: Int64
    var booking: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, plate, gate, status
        case windowFrom = "window_from"
        case windowUntil = "window_until"
        case booking
    }

    init(_ b: Booking) throws {
        id = b.id
        plate = b.plate
        gate = b.gate
        status = b.status.rawValue
        windowFrom = b.window.from.milliseconds
        windowUntil = b.window.until.milliseconds
        booking = try StoreJSON.encode(b)
    }

    func value() throws(StoreError) -> Booking {
        do {
            return try StoreJSON.decode(Booking.self, from: booking)
        } catch {
            throw .corruptRecord(table: Self.databaseTableName, key: id, reason: "\(error)")
        }
    }
}
