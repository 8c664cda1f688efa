import CordonCore
import GRDB

/// A row of `violation_events`: one published raise or clear.
struct ViolationEventRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "violation_events"

    var seq: Int64?
    var id: String
    var kind: String
    var state: String
    var severity: String
    /// Milliseconds since the epoch.
    var t: Int64
    var subjectKind: String
    var subjectID: String
    var scope: String
    var zoneID: String?
    /// `Violation.details` as a JSON object.
    var details: String
    /// The exact published body.
    var body: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case seq, id, kind, state, severity, t
        case subjectKind = "subject_kind"
        case subjectID = "subject_id"
        case scope
        case zoneID = "zone_id"
        case details, body
    }

    init(_ v: Violation, body: String) {
        id = v.id
        kind = v.kind.rawValue
        state = v.state.rawValue
        severity = v.severity.rawValue
        t = v.time.milliseconds
        subjectKind = v.subject.kind
        subjectID = v.subject.id
        scope = v.scope
        zoneID = v.zoneID
        details = ViolationJSON.details(v.details)
        self.body = body
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        seq = inserted.rowID
    }

    func event() throws(StoreError) -> ViolationEvent {
        let key = "seq \(seq.map(String.init) ?? "?") (\(id))"
        guard let k = ViolationKind(rawValue: kind), let s = Violation.State(rawValue: state),
              let sev = Severity(rawValue: severity)
        else {
            throw .corruptRecord(table: Self.databaseTableName, key: key,
                                 reason: "unknown kind, state or severity '\(kind)', '\(state)', '\(severity)'")
        }
        let d: [String: Value]
        do {
            d = try StoreJSON.decode([String: Value].self, from: details)
        } catch {
            throw .corruptRecord(table: Self.databaseTableName, key: key, reason: "details: \(error)")
        }
        return ViolationEvent(
            seq: seq ?? 0, id: id, kind: k, state: s, severity: sev, time: Instant(milliseconds: t),
            subjectKind: subjectKind, subjectID: subjectID, scope: scope, zoneID: zoneID, details: d, body: body)
    }
}
