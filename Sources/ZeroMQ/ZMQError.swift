import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed libzmq call: which operation, the errno it left behind, and libzmq's text for it.
///
/// Service loops mostly care about two codes, so they get their own properties:
/// `isInterrupted` (a signal arrived, check the stop flag and retry) and `isTerminated`
/// (the context is going away, close the socket and leave the loop).
public struct ZMQError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The errno value libzmq reported (system errno or one of libzmq's own, such as ETERM).
    public let code: Int32
    /// What was being attempted, e.g. `"bind tcp://127.0.0.1:5555"`, so logs say more than the errno.
    public let operation: String
    /// `zmq_strerror(code)`, captured at creation so the text survives later calls.
    public let message: String

    /// Builds an error for `code`, filling `message` from `zmq_strerror`.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = String(cString: zmq_strerror(code))
    }

    /// Captures the calling thread's current zmq errno; call straight after the failing call.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(code: code, operation: operation())
    }

    /// A signal interrupted a blocking call (EINTR): nothing was lost, the call can be retried.
    public var isInterrupted: Bool { code == EINTR }

    /// The socket's context was shut down or terminated (ETERM): the owner should close the socket.
    public var isTerminated: Bool { code == ETERM }

    /// The call would have blocked (EAGAIN). Send and receive report this as `false` / `nil`
    /// instead of throwing; it only appears as an error where blocking was not optional.
    public var isWouldBlock: Bool { code == EAGAIN }

    /// The socket was already closed (ENOTSOCK).
    public var isClosed: Bool { code == ENOTSOCK }

    public var description: String {
        "\(operation): \(message) (errno \(code))"
    }
}
