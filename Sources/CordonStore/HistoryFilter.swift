import CordonCore

/// What `history.violations` asks of the violation history. Every member narrows; nil leaves
/// that dimension open.
public struct HistoryFilter: Sendable, Equatable {
    public var from: Instant?
    public var until: Instant?
    public var kind: String?
    public var zone: String?
    /// A subject id (person id, plate, tag, zone id for a zone's condition).
    public var subject: String?
    /// One violation by its id: its whole history.
    public var id: String?
    /// Only raises, only acknowledgements, or only clears.
    public var step: HistoryEntry.Step?
    public var limit: Int

    public init(from: Instant? = nil, until: Instant? = nil, kind: String? = nil, zone: String? = nil, subject: String? = nil,
                id: String? = nil, step: HistoryEntry.Step? = nil, limit: Int = 1000) {
        self.from = from
        self.until = until
        self.kind = kind
        self.zone = zone
        self.subject = subject
        self.id = id
        self.step = step
        self.limit = limit
    }
}
