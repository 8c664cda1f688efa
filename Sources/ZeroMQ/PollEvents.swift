import CZeroMQ

/// The conditions a `Poller` waits for, and reports, on one item.
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16

    /// Creates events from libzmq's ZMQ_POLL* bits.
    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// At least one message (or, for a file descriptor, data) can be received without blocking.
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// At least one message can be sent without blocking.
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
    /// An error condition on a file descriptor; libzmq never reports it for sockets.
    public static let error = PollEvents(rawValue: Int16(ZMQ_POLLERR))
}
