import CordonCore

/// One access decision read back from the store.
public struct StoredPassage: Sendable, Equatable {
    public var seq: Int64
    public var id: String
    public var gate: String
    public var time: Instant
    public var direction: String
    public var subjectKind: String
    public var subjectID: String
    /// `granted` or `denied`.
    public var decision: String
    /// The body exactly as published on `access.<gate>`.
    public var body: String
}
