/// Why an ingest message was refused. The raw text is kept in the dead-letter log with it.
///
/// `code` is the stable key of the `rejected` counters of `ping`; `message` says what to fix.
public struct RejectReason: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable, machine-readable: `malformed-json`, `missing-field`, `wrong-type`, …
    public var code: String
    /// For a person: what exactly is wrong, and where.
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public static func malformedJSON(_ m: String) -> RejectReason { .init("malformed-json", m) }
    public static func missingField(_ f: String) -> RejectReason { .init("missing-field", "required field '\(f)' is missing") }
    public static func wrongType(_ f: String, _ expected: String) -> RejectReason {
        .init("wrong-type", "field '\(f)' must be \(expected)")
    }
    public static func invalidValue(_ f: String, _ why: String) -> RejectReason { .init("invalid-value", "field '\(f)' \(why)") }
    public static func nonFinite(_ f: String) -> RejectReason { .init("non-finite", "field '\(f)' is not a finite number") }
    public static func unknownType(_ t: String) -> RejectReason { .init("unknown-type", "unknown message type '\(t)'") }
    public static func tooLarge(_ bytes: Int) -> RejectReason { .init("too-large", "frame of \(bytes) bytes exceeds the limit") }
    public static func outOfBounds(_ m: String) -> RejectReason { .init("out-of-bounds", m) }
    public static func unknownGate(_ g: String) -> RejectReason { .init("unknown-gate", "gate '\(g)' is not a gate of the site") }
    public static func unknownFrame(_ f: String) -> RejectReason { .init("unknown-frame", "frame '\(f)' is not defined in the site file") }
}
