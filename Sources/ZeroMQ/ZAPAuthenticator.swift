import CZeroMQ
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ZAP handler (ZeroMQ RFC 27) that lets in only CURVE clients whose public key is on a
/// fixed list.
///
/// Without a ZAP handler a CURVE server accepts any client that knows the server's public
/// key; with one running in the same context, libzmq asks it about every CURVE handshake.
/// The handler binds `inproc://zeromq.zap.01` (so at most one per context) and answers on
/// its own thread. Start it before the CURVE server socket accepts connections.
///
/// Other mechanisms (PLAIN, or NULL with a ZAP domain) are denied. Accepted clients get
/// their Z85 public key as the ZAP user id, readable as the message's "User-Id" property.
///
/// The thread stops on `stop()`, on deinit, or by itself when the context is shut down or
/// terminated, so context termination does not wait for an explicit `stop()`.
public final class ZAPAuthenticator: @unchecked Sendable {
    /// The endpoint libzmq sends ZAP requests to; fixed by RFC 27.
    public static let endpoint = "inproc://zeromq.zap.01"

    /// How often the handler thread looks at the stop flag while idle.
    private static let pollMilliseconds = 100

    private let stopFlag: StopFlag
    private let thread: Mutex<DetachedThread?>

    /// One CURVE handshake to decide: which socket (its ZAP domain) and which client.
    public struct Request: Sendable {
        /// The ZAP domain of the server socket (see `Socket.setZAPDomain`); empty when unset.
        public var domain: String
        /// The client's network address, as libzmq gives it.
        public var address: String
        /// The client's Z85 public key (40 characters).
        public var clientKey: String
    }

    /// Binds the ZAP endpoint and starts answering requests.
    ///
    /// - Parameter allowedPublicKeys: Z85 public keys (40 characters) of the clients to let in.
    /// - Throws: `ZMQError` with EINVAL if a key is not valid Z85, or the bind error
    ///   (EADDRINUSE when another handler already runs in `context`).
    public convenience init(context: ZMQContext, allowedPublicKeys: Set<String>) throws {
        var allowed = Set<String>()
        for key in allowedPublicKeys {
            guard let raw = ZMQCurve.decode(z85: key), let canonical = ZMQCurve.encode(raw) else {
                throw ZMQError(code: EINVAL, operation: "ZAP allow list: not a Z85 public key: \(key)")
            }
            allowed.insert(canonical)
        }
        let letIn = allowed
        try self.init(context: context) { letIn.contains($0.clientKey) }
    }

    /// Binds the ZAP endpoint and starts answering requests, letting in the CURVE clients for
    /// which `authorize` returns true. It runs on the handler's thread, once per handshake.
    ///
    /// - Throws: the bind error (EADDRINUSE when another handler already runs in `context`).
    public init(context: ZMQContext, authorize: @escaping @Sendable (Request) -> Bool) throws {
        // Bind here rather than on the thread so that bind errors reach the caller and the
        // handler is in place before init returns.
        let socket = try context.socket(.rep)
        try socket.setLinger(0)
        try socket.setReceiveTimeout(Self.pollMilliseconds)
        try socket.bind(Self.endpoint)

        let stopFlag = StopFlag()
        self.stopFlag = stopFlag
        let started = try DetachedThread {
            Self.serve(socket: socket, authorize: authorize, stopFlag: stopFlag)
        }
        thread = Mutex(started)
    }

    deinit {
        stop()
    }

    /// Stops answering and waits for the handler thread to finish (up to one poll interval).
    /// Idempotent. After this, CURVE handshakes in the context are no longer checked.
    public func stop() {
        stopFlag.value.store(true, ordering: .releasing)
        let running = thread.withLock { thread -> DetachedThread? in
            let current = thread
            thread = nil
            return current
        }
        running?.join()
    }

    private static func serve(socket: Socket, authorize: @Sendable (Request) -> Bool, stopFlag: StopFlag) {
        defer { socket.close() }
        while !stopFlag.value.load(ordering: .acquiring) {
            do {
                guard let request = try socket.receiveMessage() else { continue }
                try socket.send(frames: reply(to: request, authorize: authorize))
            } catch let error as ZMQError where error.isInterrupted {
                continue
            } catch {
                // ETERM (context going away) or a broken socket: nothing left to serve.
                return
            }
        }
    }

    /// Builds the ZAP reply frames for one request (RFC 27 section "Reply").
    static func reply(to request: [[UInt8]], authorize: (Request) -> Bool) -> [[UInt8]] {
        let version = Array("1.0".utf8)
        let requestID = request.count > 1 ? request[1] : []
        func answer(_ status: String, _ text: String, userID: [UInt8] = []) -> [[UInt8]] {
            [version, requestID, Array(status.utf8), Array(text.utf8), userID, []]
        }
        // version, request id, domain, address, identity, mechanism, credentials...
        guard request.count >= 6, request[0] == version else {
            return answer("500", "malformed ZAP request")
        }
        guard request[5] == Array("CURVE".utf8) else {
            return answer("400", "only CURVE clients are accepted")
        }
        guard request.count == 7, request[6].count == 32 else {
            return answer("500", "malformed CURVE credentials")
        }
        guard let clientKey = ZMQCurve.encode(request[6]) else { return answer("500", "malformed CURVE credentials") }
        let r = Request(domain: String(decoding: request[2], as: UTF8.self), address: String(decoding: request[3], as: UTF8.self),
                        clientKey: clientKey)
        guard authorize(r) else {
            return answer("400", "client key not allowed on this socket")
        }
        return answer("200", "OK", userID: Array(clientKey.utf8))
    }
}

/// A stop request shared between an owner and its thread.
private final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}
