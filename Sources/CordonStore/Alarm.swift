import CordonCore

/// A raised condition as the store keeps it: the violation as raised, and what happened since.
public struct Alarm: Sendable, Equatable {
    /// The violation exactly as it was raised (state `raised`, raise time, raise details).
    public var violation: Violation
    /// Event time of the clear; nil while the condition is up.
    public var clearedAt: Instant?
    /// Who acknowledged it first, and when.
    public var acknowledgedBy: String?
    public var acknowledgedAt: Instant?

    public init(violation: Violation, clearedAt: Instant? = nil, acknowledgedBy: String? = nil, acknowledgedAt: Instant? = nil) {
        self.violation = violation
        self.clearedAt = clearedAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
    }

    public var id: String { violation.id }
    public var raisedAt: Instant { violation.time }
    /// Raised and not yet cleared.
    public var isOpen: Bool { clearedAt == nil }
}
