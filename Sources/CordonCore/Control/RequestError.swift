/// A control request the engine refuses: the reply's `error` (`code`, `message`).
///
/// Codes are stable; messages say what to change.
public struct RequestError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The request is malformed or a field is wrong.
    public static func invalid(_ m: String) -> RequestError { .init(code: "invalid-request", message: m) }
    /// The op is not one this service knows.
    public static func unknownOp(_ op: String) -> RequestError {
        .init(code: "unknown-op", message: "unknown op '\(op)'; 'ping' lists nothing, see docs/protocol.md for the ops")
    }
    /// The thing asked about does not exist.
    public static func notFound(_ m: String) -> RequestError { .init(code: "not-found", message: m) }
    /// The request conflicts with the current state.
    public static func conflict(_ m: String) -> RequestError { .init(code: "conflict", message: m) }
    /// Something failed inside the service; the request may be retried.
    public static func `internal`(_ m: String) -> RequestError { .init(code: "internal", message: m) }
}
