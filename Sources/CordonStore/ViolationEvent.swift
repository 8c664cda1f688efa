import CordonCore

/// One row of the violation history: a raise or a clear as it was published.
public struct ViolationEvent: Sendable, Equatable {
    /// Position in the history; grows with every recorded event, never reused.
    public var seq: Int64
    public var id: String
    public var kind: ViolationKind
    public var state: Violation.State
    public var severity: Severity
    /// Event time of the raise or the clear.
    public var time: Instant
    public var subjectKind: String
    public var subjectID: String
    public var scope: String
    public var zoneID: String?
    public var details: [String: Value]
    /// The exact JSON body that was published: a history reply can send it as is.
    public var body: String

    public init(
        seq: Int64, id: String, kind: ViolationKind, state: Violation.State, severity: Severity, time: Instant,
        subjectKind: String, subjectID: String, scope: String, zoneID: String?, details: [String: Value], body: String
    ) {
        self.seq = seq
        self.id = id
        self.kind = kind
        self.state = state
        self.severity = severity
        self.time = time
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.scope = scope
        self.zoneID = zoneID
        self.details = details
        self.body = body
    }
}
