import CordonCore

/// One message for one destination, as the outbox keeps it (docs/forwarding.md): the envelope
/// of docs/forwarding.md without its `sent_at`, which the sender adds at each attempt.
public struct OutboxMessage: Sendable, Equatable {
    /// The outbox's own order: delivery to a destination follows it.
    public var id: Int64
    public var destination: String
    /// `alarm`, `headcount`, `muster`, `vehicle`: `seq` grows by one per destination and stream.
    public var stream: String
    public var seq: Int64
    /// Stable across retries and restarts: the receiver drops duplicates by it.
    public var msgID: String
    /// `alarm.raised`, `alarm.acknowledged`, `alarm.cleared`, …
    public var type: String
    /// Whom it is about (`person:P0042`), for ordering and the status.
    public var subject: String
    /// When it was written to the outbox (the service clock).
    public var created: Instant
    /// The envelope's JSON object, without `sent_at` and `seq` (filled in at each attempt).
    public var envelope: String
    public var attempts: Int
    /// Not tried again before this.
    public var nextAt: Instant
    public var lastError: String?

    public init(id: Int64 = 0, destination: String, stream: String, seq: Int64 = 0, msgID: String, type: String, subject: String,
                created: Instant, envelope: String, attempts: Int = 0, nextAt: Instant = Instant(milliseconds: 0), lastError: String? = nil) {
        self.id = id
        self.destination = destination
        self.stream = stream
        self.seq = seq
        self.msgID = msgID
        self.type = type
        self.subject = subject
        self.created = created
        self.envelope = envelope
        self.attempts = attempts
        self.nextAt = nextAt
        self.lastError = lastError
    }
}

/// How one destination's outbox stands (`forward.status`).
public struct OutboxStatus: Sendable, Equatable {
    public var destination: String
    public var backlog: Int
    public var oldest: Instant?
    public var dead: Int
}
