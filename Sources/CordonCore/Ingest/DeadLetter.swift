/// A rejected ingest message, kept with its reason so that an integrator can see what was
/// wrong with what they sent.
public struct DeadLetter: Sendable, Equatable, Codable {
    /// When the service received it (service clock), not the message's own time.
    public var receivedAt: Instant
    /// `RejectReason.code`.
    public var reason: String
    public var message: String
    /// The raw text, cut to its first 4 KiB.
    public var raw: String

    public static let rawLimit = 4096

    public init(receivedAt: Instant, reason: RejectReason, raw: some Collection<UInt8>) {
        self.receivedAt = receivedAt
        self.reason = reason.code
        self.message = reason.message
        let bytes = Array(raw.prefix(Self.rawLimit))
        self.raw = String(decoding: bytes, as: UTF8.self)
    }

    public init(receivedAt: Instant, reason: String, message: String, raw: String) {
        self.receivedAt = receivedAt
        self.reason = reason
        self.message = message
        self.raw = raw
    }
}
