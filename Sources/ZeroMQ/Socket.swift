import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A libzmq socket. Created with `ZMQContext.socket(_:)`.
///
/// libzmq sockets are not thread-safe: a socket must only be used from one thread at a time.
/// The class is `@unchecked Sendable` only so that a socket can be created on one thread and
/// handed to the thread that will own it (libzmq allows migrating a socket across a memory
/// barrier, which the hand-over provides). Sharing one socket between concurrently running
/// threads is undefined behaviour in libzmq; use one socket per thread, joined by `inproc://`.
///
/// The socket keeps its context alive, and is closed by `close()` or on deinit.
public final class Socket: @unchecked Sendable {
    /// The pattern this socket was created with.
    public let type: SocketType
    /// The context the socket belongs to; retained so the context outlives its sockets.
    public let context: ZMQContext

    /// nil once closed; every call checks it so a closed socket reports ENOTSOCK
    /// instead of handing libzmq a dangling pointer.
    private var handle: UnsafeMutableRawPointer?
    /// The one zmq_msg_t reused by every receive, so the hot path allocates no message
    /// object per frame. Heap-allocated because libzmq needs a stable address.
    private let message: UnsafeMutablePointer<zmq_msg_t>

    init(handle: UnsafeMutableRawPointer, type: SocketType, context: ZMQContext) {
        self.handle = handle
        self.type = type
        self.context = context
        message = .allocate(capacity: 1)
        zmq_msg_init(message)
    }

    deinit {
        close()
        zmq_msg_close(message)
        message.deallocate()
    }

    /// The raw libzmq socket for `Poller`; nil once closed.
    var rawHandle: UnsafeMutableRawPointer? { handle }

    private func open(_ operation: @autoclosure () -> String) throws -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(code: ENOTSOCK, operation: operation())
        }
        return handle
    }

    /// Closes the socket. Idempotent; also run by `deinit`.
    ///
    /// Pending outgoing messages are kept for the socket's linger period (0 by default in
    /// a Cordon context, see `ZMQContext.init`).
    public func close() {
        guard let handle else { return }
        self.handle = nil
        zmq_close(handle)
        // Drop whatever the last zero-copy receive left in the reusable message.
        zmq_msg_close(message)
        zmq_msg_init(message)
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    // MARK: Endpoints

    /// Binds to `endpoint`, e.g. `"tcp://127.0.0.1:*"` (ask `lastEndpoint` for the port) or
    /// `"inproc://name"`.
    public func bind(_ endpoint: String) throws {
        let socket = try open("bind \(endpoint)")
        guard zmq_bind(socket, endpoint) == 0 else {
            throw ZMQError.last("bind \(endpoint)")
        }
    }

    /// Connects to `endpoint`. libzmq connects in the background and reconnects on its own,
    /// so success here does not mean a peer is listening.
    public func connect(_ endpoint: String) throws {
        let socket = try open("connect \(endpoint)")
        guard zmq_connect(socket, endpoint) == 0 else {
            throw ZMQError.last("connect \(endpoint)")
        }
    }

    /// Stops listening on an endpoint given to `bind`; for wildcard binds pass the
    /// resolved address from `lastEndpoint`, not the `*` form.
    public func unbind(_ endpoint: String) throws {
        let socket = try open("unbind \(endpoint)")
        guard zmq_unbind(socket, endpoint) == 0 else {
            throw ZMQError.last("unbind \(endpoint)")
        }
    }

    /// Drops a connection made with `connect`.
    public func disconnect(_ endpoint: String) throws {
        let socket = try open("disconnect \(endpoint)")
        guard zmq_disconnect(socket, endpoint) == 0 else {
            throw ZMQError.last("disconnect \(endpoint)")
        }
    }

    /// The endpoint most recently bound or connected (ZMQ_LAST_ENDPOINT), with wildcards
    /// resolved, e.g. `"tcp://127.0.0.1:41873"`; nil before any bind or connect.
    public var lastEndpoint: String? {
        get throws {
            let text = try stringOption(ZMQ_LAST_ENDPOINT, "get last endpoint")
            return text.isEmpty ? nil : text
        }
    }

    // MARK: Sending

    /// Sends one frame, copying `bytes` into libzmq.
    ///
    /// - Parameters:
    ///   - more: more frames of the same message follow (ZMQ_SNDMORE).
    ///   - dontWait: fail fast instead of blocking when the high-water mark is reached.
    /// - Returns: `false` if the frame was not queued because sending would block (with
    ///   `dontWait`, or once `sendTimeout` expires); `true` otherwise.
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        let socket = try open("send")
        var flags: Int32 = 0
        if more { flags |= ZMQ_SNDMORE }
        if dontWait { flags |= ZMQ_DONTWAIT }
        guard zmq_send(socket, bytes.baseAddress, bytes.count, flags) >= 0 else {
            let error = ZMQError.last("send")
            if error.isWouldBlock { return false }
            throw error
        }
        return true
    }

    /// Sends one frame; see `send(_:more:dontWait:)` for the buffer form.
    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws -> Bool {
        try bytes.withUnsafeBytes { try send($0, more: more, dontWait: dontWait) }
    }

    /// Sends one frame from any byte collection (`ArraySlice`, `Data`, `String.UTF8View`, …),
    /// without an intermediate copy when the collection is contiguous.
    @discardableResult
    public func send(_ bytes: some Collection<UInt8>, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        let sent = try bytes.withContiguousStorageIfAvailable { buffer in
            try send(UnsafeRawBufferPointer(buffer), more: more, dontWait: dontWait)
        }
        if let sent { return sent }
        return try send(Array(bytes), more: more, dontWait: dontWait)
    }

    /// Sends `string`'s UTF-8 bytes as one frame (no terminating NUL).
    @discardableResult
    public func send(_ string: String, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        var string = string
        return try string.withUTF8 { try send(UnsafeRawBufferPointer($0), more: more, dontWait: dontWait) }
    }

    /// Sends a multipart message: every frame but the last is flagged ZMQ_SNDMORE.
    /// An empty array sends nothing.
    ///
    /// - Returns: `false` if nothing was sent because the first frame would block; libzmq
    ///   queues a message's later frames once its first is accepted, so a partial message
    ///   is reported as an error rather than as `false`.
    @discardableResult
    public func send(frames: [[UInt8]], dontWait: Bool = false) throws -> Bool {
        for (index, frame) in frames.enumerated() {
            let more = index < frames.count - 1
            guard try send(frame, more: more, dontWait: dontWait) else {
                if index == 0 { return false }
                throw ZMQError(code: EAGAIN, operation: "send frame \(index + 1) of \(frames.count)")
            }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one frame and hands its bytes to `body` without copying them.
    ///
    /// This is the hot-path receive: it reuses a single zmq_msg_t, so no array is allocated
    /// per frame. The buffer is only valid inside `body`; copy anything you keep.
    ///
    /// - Returns: `body`'s result, or nil when nothing arrived: with `dontWait` and no frame
    ///   queued, or when `receiveTimeout` expired.
    /// - Throws: `ZMQError` (check `isInterrupted` / `isTerminated`), or whatever `body` throws.
    public func receive<R>(
        dontWait: Bool = false,
        _ body: (UnsafeRawBufferPointer, _ more: Bool) throws -> R
    ) throws -> R? {
        let socket = try open("receive")
        guard zmq_msg_recv(message, socket, dontWait ? ZMQ_DONTWAIT : 0) >= 0 else {
            let error = ZMQError.last("receive")
            if error.isWouldBlock { return nil }
            throw error
        }
        defer {
            // Release the payload now rather than at the next receive, so one large frame
            // is not kept alive while the socket idles.
            zmq_msg_close(message)
            zmq_msg_init(message)
        }
        let buffer = UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message))
        return try body(buffer, zmq_msg_more(message) != 0)
    }

    /// Receives one frame as a copied `Frame`.
    ///
    /// - Returns: nil when nothing arrived (with `dontWait`, or after `receiveTimeout`).
    public func receive(dontWait: Bool = false) throws -> Frame? {
        try receive(dontWait: dontWait) { buffer, more in
            Frame(bytes: Array(buffer), more: more)
        }
    }

    /// Receives every frame of one multipart message.
    ///
    /// `dontWait` and `receiveTimeout` only apply to the first frame: libzmq delivers
    /// multipart messages atomically, so the rest are already queued.
    ///
    /// - Returns: nil when no message arrived.
    public func receiveMessage(dontWait: Bool = false) throws -> [[UInt8]]? {
        try receiveMessage(dontWait: dontWait, properties: [])?.frames
    }

    /// Receives every frame of one multipart message, and the named metadata properties of its
    /// first frame (`zmq_msg_gets`: "User-Id" set by a ZAP handler, "Peer-Address" for tcp).
    /// A property the message does not carry is absent from the dictionary.
    ///
    /// - Returns: nil when no message arrived.
    public func receiveMessage(dontWait: Bool = false, properties names: [String]) throws -> (frames: [[UInt8]], properties: [String: String])? {
        var properties: [String: String] = [:]
        let message = self.message
        guard let first = try receive(dontWait: dontWait, { buffer, more -> Frame in
            for name in names {
                if let value = zmq_msg_gets(message, name) { properties[name] = String(cString: value) }
            }
            return Frame(bytes: Array(buffer), more: more)
        }) else { return nil }
        var frames = [first.bytes]
        var more = first.more
        while more {
            guard let next = try receive(dontWait: false) else {
                throw ZMQError(code: EAGAIN, operation: "receive frame \(frames.count + 1) of a multipart message")
            }
            frames.append(next.bytes)
            more = next.more
        }
        return (frames, properties)
    }

    /// Whether the last frame received has more parts after it (ZMQ_RCVMORE).
    public var hasMore: Bool {
        get throws { try int32Option(ZMQ_RCVMORE, "get ZMQ_RCVMORE") != 0 }
    }

    /// The file descriptor libzmq signals when the socket's events may have changed (ZMQ_FD),
    /// for integrating with a foreign event loop. It is edge-triggered and not readable data;
    /// check `Poller` or a non-blocking receive after it fires.
    public var fileDescriptor: Int32 {
        get throws {
            let socket = try open("get ZMQ_FD")
            var fd: zmq_fd_t = 0
            var size = MemoryLayout<zmq_fd_t>.size
            guard zmq_getsockopt(socket, ZMQ_FD, &fd, &size) == 0 else {
                throw ZMQError.last("get ZMQ_FD")
            }
            return Int32(truncatingIfNeeded: fd)
        }
    }

    // MARK: Options

    /// Maximum queued outgoing messages per peer (ZMQ_SNDHWM) before sends block or drop,
    /// depending on the pattern; 0 means no limit.
    public var sendHighWaterMark: Int {
        get throws { Int(try int32Option(ZMQ_SNDHWM, "get ZMQ_SNDHWM")) }
    }

    /// Sets `sendHighWaterMark`; takes effect for connections made afterwards.
    public func setSendHighWaterMark(_ messages: Int) throws {
        try setInt32Option(ZMQ_SNDHWM, messages, "set ZMQ_SNDHWM")
    }

    /// Maximum queued incoming messages per peer (ZMQ_RCVHWM); 0 means no limit.
    public var receiveHighWaterMark: Int {
        get throws { Int(try int32Option(ZMQ_RCVHWM, "get ZMQ_RCVHWM")) }
    }

    /// Sets `receiveHighWaterMark`; takes effect for connections made afterwards.
    public func setReceiveHighWaterMark(_ messages: Int) throws {
        try setInt32Option(ZMQ_RCVHWM, messages, "set ZMQ_RCVHWM")
    }

    /// How long, in milliseconds, `close()` keeps undelivered messages (ZMQ_LINGER);
    /// -1 waits forever, 0 discards them.
    public var linger: Int {
        get throws { Int(try int32Option(ZMQ_LINGER, "get ZMQ_LINGER")) }
    }

    /// Sets `linger` in milliseconds.
    public func setLinger(_ milliseconds: Int) throws {
        try setInt32Option(ZMQ_LINGER, milliseconds, "set ZMQ_LINGER")
    }

    /// How long, in milliseconds, a blocking receive waits before returning nil
    /// (ZMQ_RCVTIMEO); -1 waits forever.
    public var receiveTimeout: Int {
        get throws { Int(try int32Option(ZMQ_RCVTIMEO, "get ZMQ_RCVTIMEO")) }
    }

    /// Sets `receiveTimeout` in milliseconds.
    public func setReceiveTimeout(_ milliseconds: Int) throws {
        try setInt32Option(ZMQ_RCVTIMEO, milliseconds, "set ZMQ_RCVTIMEO")
    }

    /// How long, in milliseconds, a blocking send waits before returning false
    /// (ZMQ_SNDTIMEO); -1 waits forever.
    public var sendTimeout: Int {
        get throws { Int(try int32Option(ZMQ_SNDTIMEO, "get ZMQ_SNDTIMEO")) }
    }

    /// Sets `sendTimeout` in milliseconds.
    public func setSendTimeout(_ milliseconds: Int) throws {
        try setInt32Option(ZMQ_SNDTIMEO, milliseconds, "set ZMQ_SNDTIMEO")
    }

    /// Largest inbound message, in bytes, a peer may send (ZMQ_MAXMSGSIZE); -1 means no limit.
    /// A peer that exceeds it is disconnected and the message is never delivered, which
    /// keeps a hostile or broken sender from making us allocate huge frames. Only enforced
    /// on network transports (tcp, ipc), not on inproc.
    public var maxMessageSize: Int {
        get throws {
            let socket = try open("get ZMQ_MAXMSGSIZE")
            var value: Int64 = 0
            var size = MemoryLayout<Int64>.size
            guard zmq_getsockopt(socket, ZMQ_MAXMSGSIZE, &value, &size) == 0 else {
                throw ZMQError.last("get ZMQ_MAXMSGSIZE")
            }
            return Int(value)
        }
    }

    /// Sets `maxMessageSize` in bytes; set it before `bind`/`connect`.
    public func setMaxMessageSize(_ bytes: Int) throws {
        let socket = try open("set ZMQ_MAXMSGSIZE")
        var value = Int64(bytes)
        guard zmq_setsockopt(socket, ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("set ZMQ_MAXMSGSIZE \(bytes)")
        }
    }

    /// Whether messages are only queued to completed connections (ZMQ_IMMEDIATE), so a
    /// sender does not fill queues for peers that are not there yet.
    public var immediate: Bool {
        get throws { try int32Option(ZMQ_IMMEDIATE, "get ZMQ_IMMEDIATE") != 0 }
    }

    /// Sets `immediate`; set it before `connect`.
    public func setImmediate(_ on: Bool) throws {
        try setInt32Option(ZMQ_IMMEDIATE, on ? 1 : 0, "set ZMQ_IMMEDIATE")
    }

    /// Subscribes a SUB socket to messages whose first frame starts with `prefix`;
    /// the empty prefix (the default) subscribes to everything.
    public func subscribe(_ prefix: String = "") throws {
        try subscribe(Array(prefix.utf8))
    }

    /// Subscribes a SUB socket to messages whose first frame starts with the bytes `prefix`.
    public func subscribe(_ prefix: [UInt8]) throws {
        try setBytesOption(ZMQ_SUBSCRIBE, prefix, "subscribe")
    }

    /// Removes one earlier `subscribe` with the same prefix.
    public func unsubscribe(_ prefix: String = "") throws {
        try unsubscribe(Array(prefix.utf8))
    }

    /// Removes one earlier `subscribe` with the same byte prefix.
    public func unsubscribe(_ prefix: [UInt8]) throws {
        try setBytesOption(ZMQ_UNSUBSCRIBE, prefix, "unsubscribe")
    }

    // MARK: CURVE

    /// Makes this socket a CURVE server with its Z85 secret key (40 characters): peers must
    /// be CURVE clients that know the matching public key. Set before `bind`.
    ///
    /// If a `ZAPAuthenticator` runs in the same context it decides which clients are let in;
    /// otherwise any client that knows the server key is.
    public func curveServer(secretKey: String) throws {
        try setInt32Option(ZMQ_CURVE_SERVER, 1, "set ZMQ_CURVE_SERVER")
        try setKeyOption(ZMQ_CURVE_SECRETKEY, secretKey, "set ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE client of the server whose Z85 public key is
    /// `serverPublicKey`, using its own Z85 key pair. Set before `connect`.
    public func curveClient(serverPublicKey: String, publicKey: String, secretKey: String) throws {
        try setKeyOption(ZMQ_CURVE_SERVERKEY, serverPublicKey, "set ZMQ_CURVE_SERVERKEY")
        try setKeyOption(ZMQ_CURVE_PUBLICKEY, publicKey, "set ZMQ_CURVE_PUBLICKEY")
        try setKeyOption(ZMQ_CURVE_SECRETKEY, secretKey, "set ZMQ_CURVE_SECRETKEY")
    }

    /// The ZAP domain (ZMQ_ZAP_DOMAIN) this socket's handshakes are checked under: a ZAP
    /// handler sees it and can tell the sockets of one context apart. Set before `bind`.
    public func setZAPDomain(_ domain: String) throws {
        try setBytesOption(ZMQ_ZAP_DOMAIN, Array(domain.utf8), "set ZMQ_ZAP_DOMAIN")
    }

    // MARK: Option plumbing

    private func int32Option(_ option: Int32, _ operation: String) throws -> Int32 {
        let socket = try open(operation)
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(socket, option, &value, &size) == 0 else {
            throw ZMQError.last(operation)
        }
        return value
    }

    private func setInt32Option(_ option: Int32, _ value: Int, _ operation: String) throws {
        let socket = try open(operation)
        // libzmq takes a C int; refuse values that would silently wrap.
        guard var narrow = Int32(exactly: value) else {
            throw ZMQError(code: EINVAL, operation: "\(operation) \(value)")
        }
        guard zmq_setsockopt(socket, option, &narrow, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("\(operation) \(value)")
        }
    }

    private func setBytesOption(_ option: Int32, _ bytes: [UInt8], _ operation: String) throws {
        let socket = try open(operation)
        let result = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        guard result == 0 else {
            throw ZMQError.last(operation)
        }
    }

    private func setKeyOption(_ option: Int32, _ key: String, _ operation: String) throws {
        // libzmq accepts 32 raw bytes or 40 Z85 characters; only Z85 is part of this API,
        // so anything else is rejected here rather than misread as raw bytes.
        guard key.utf8.count == 40 else {
            throw ZMQError(code: EINVAL, operation: "\(operation): Z85 key must be 40 characters")
        }
        try setBytesOption(option, Array(key.utf8), operation)
    }

    private func stringOption(_ option: Int32, _ operation: String) throws -> String {
        let socket = try open(operation)
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(socket, option, &buffer, &size) == 0 else {
            throw ZMQError.last(operation)
        }
        let length = buffer.prefix(size).firstIndex(of: 0) ?? min(size, buffer.count)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
