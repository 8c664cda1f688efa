import CordonCore

/// One step of a violation's history as an incident review reads it: its raise, its
/// acknowledgement, its clear.
public struct HistoryEntry: Sendable, Equatable {
    public enum Step: String, Sendable, CaseIterable {
        case raised, acknowledged, cleared
    }

    public var step: Step
    /// Event time of the raise or the clear; wall time of the acknowledgement.
    public var time: Instant
    public var id: String
    public var kind: String
    public var severity: String
    public var subjectKind: String
    public var subjectID: String
    public var scope: String
    public var zoneID: String?
    /// Who acknowledged (acknowledgements only).
    public var by: String?
    /// The exact body published (raises and clears only).
    public var body: String?
}
