import CordonCore
import CordonWire
import ZeroMQ

/// A client of a running service's control socket, for the command line and tests.
///
/// A REQ socket that missed its reply can never send again, so after a timeout the socket is
/// replaced: a service that was slow once does not leave the client stuck for good. Sending
/// has the same timeout as the reply: a request that cannot even be queued (no peer: the
/// service refused the client's key) is no reply, never a wait without end.
public final class ControlClient {
    private let context: ZMQContext
    private let ownsContext: Bool
    /// The control address.
    public let endpoint: String
    private let curve: ClientCurve?
    private let timeoutMilliseconds: Int
    private var socket: Socket?

    /// - Parameters:
    ///   - context: shared with the caller's other sockets; a private one when nil.
    ///   - curve: the credentials for a service that runs CURVE.
    public init(endpoint: String, curve: ClientCurve? = nil, timeoutMilliseconds: Int = 5000, context: ZMQContext? = nil) throws {
        if let context {
            self.context = context
            ownsContext = false
        } else {
            self.context = try ZMQContext()
            ownsContext = true
        }
        self.endpoint = endpoint
        self.curve = curve
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    deinit {
        close()
        if ownsContext { context.shutdown() }
    }

    /// The reply's bytes, or nil when none came within the timeout.
    public func send(_ request: Value) throws -> [UInt8]? {
        do {
            let s = try socket ?? open()
            socket = s
            guard try s.send(JSONText.encodeBytes(request)), let reply = try s.receive() else {
                close()
                return nil
            }
            return reply.bytes
        } catch {
            close()
            throw error
        }
    }

    /// The parsed reply, or nil when none came in time or it was not JSON.
    public func request(_ request: Value) -> Value? {
        guard let bytes = try? send(request) else { return nil }
        return try? JSONText.parse(bytes)
    }

    /// One request on a fresh REQ socket of `context`, which is closed after: for callers that
    /// ask now and then (a test harness, a benchmark waiting for the service's counters).
    /// Throws ``NoReply`` when none came within the timeout; a reply that is not JSON throws
    /// the parser's error.
    public static func ask(
        _ request: Value, endpoint: String, context: ZMQContext, timeoutMilliseconds: Int = 5000, curve: ClientCurve? = nil
    ) throws -> Value {
        let s = try context.socket(.req)
        defer { s.close() }
        try s.setLinger(0)
        try s.setReceiveTimeout(timeoutMilliseconds)
        try s.setSendTimeout(timeoutMilliseconds)
        try curve?.secure(s)
        try s.connect(endpoint)
        guard try s.send(JSONText.encodeBytes(request)), let reply = try s.receive() else {
            throw NoReply(op: request["op"]?.stringValue ?? "?", endpoint: endpoint, timeoutMilliseconds: timeoutMilliseconds)
        }
        return try JSONText.parse(reply.bytes)
    }

    /// No reply came in time.
    public struct NoReply: Error, CustomStringConvertible {
        public var op: String
        public var endpoint: String
        public var timeoutMilliseconds: Int

        public var description: String {
            "no reply to '\(op)' from \(endpoint) within \(timeoutMilliseconds) ms: is the service running, and is it the control address?"
        }
    }

    /// Closes the socket; the next request opens a new one.
    public func close() {
        socket?.close()
        socket = nil
    }

    private func open() throws -> Socket {
        let s = try context.socket(.req)
        try s.setLinger(0)
        try s.setReceiveTimeout(timeoutMilliseconds)
        // A REQ socket with no peer to send to (a CURVE handshake the service refused before
        // the request went out) blocks in send: the timeout covers sending too.
        try s.setSendTimeout(timeoutMilliseconds)
        try curve?.secure(s)
        try s.connect(endpoint)
        return s
    }
}
