import CordonCore
import GRDB

/// A row of `alarms`: a condition ever raised, and where it stands now.
struct AlarmRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "alarms"

    var id: String
    var kind: String
    var subjectKind: String
    var subjectID: String
    var scope: String
    var raisedAt: Int64
    var raisedSeq: Int64
    var clearedAt: Int64?
    var acknowledgedBy: String?
    var acknowledgedAt: Int64?
    /// The raised `Violation` as JSON, to restore it exactly.
    var violation: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, kind
        case subjectKind = "subject_kind"
        case subjectID = "subject_id"
        case scope
        case raisedAt = "raised_at"
        case raisedSeq = "raised_seq"
        case clearedAt = "cleared_at"
        case acknowledgedBy = "acknowledged_by"
        case acknowledgedAt = "acknowledged_at"
        case violation
    }

    init(raised v: Violation, seq: Int64) {
        id = v.id
        kind = v.kind.rawValue
        subjectKind = v.subject.kind
        subjectID = v.subject.id
        scope = v.scope
        raisedAt = v.time.milliseconds
        raisedSeq = seq
        clearedAt = nil
        acknowledgedBy = nil
        acknowledgedAt = nil
        violation = ViolationJSON.violation(v)
    }

    func raisedViolation() throws(StoreError) -> Violation {
        do {
            return try StoreJSON.decode(Violation.self, from: violation)
        } catch {
            throw .corruptRecord(table: Self.databaseTableName, key: id, reason: "violation: \(error)")
        }
    }

    func alarm() throws(StoreError) -> Alarm {
        Alarm(
            violation: try raisedViolation(),
            clearedAt: clearedAt.map(Instant.init(milliseconds:)),
            acknowledgedBy: acknowledgedBy,
            acknowledgedAt: acknowledgedAt.map(Instant.init(milliseconds:)))
    }
}
