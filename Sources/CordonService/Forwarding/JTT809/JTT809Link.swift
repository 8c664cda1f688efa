import CordonCore
import Foundation
import NIOCore
import NIOPosix

/// The main link to one upper platform over JT/T 809-2019 (docs/forwarding.md, "JT/T 809"),
/// on SwiftNIO: connect, log in (0x1001, answered by 0x1002), keep alive (0x1005 every
/// `heartbeatS`, answered by 0x1006; a link that hears nothing for three of them is closed),
/// and send. The forwarding worker calls ``send(messageID:body:)`` from its own thread: a link
/// that is down is connected and logged in again first, so a platform that drops the link
/// gets it back with the next message, at the worker's back-off.
final class JTT809Link: @unchecked Sendable {
    /// Why a message did not go.
    enum Failure: Error, CustomStringConvertible {
        case connect(String)
        case login(String)
        case write(String)

        var description: String {
            switch self {
            case .connect(let why): "cannot connect to the upper platform: \(why)"
            case .login(let why): "the upper platform refused the login: \(why)"
            case .write(let why): "the link dropped while sending: \(why)"
            }
        }
    }

    let settings: JTT809Settings
    private let group: any EventLoopGroup
    private let lock = NSLock()
    private var channel: (any Channel)?
    private var loggedIn = false
    private var serial: UInt32 = 0
    private var loginAnswer: EventLoopPromise<UInt8>?
    private var lastHeard = Date()
    private var heartbeat: RepeatedTask?

    init(settings: JTT809Settings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.settings = settings
        self.group = group
    }

    /// Sends one message, connecting and logging in first when needed. Returns once the frame
    /// is written to the socket: JT/T 809 does not acknowledge locations or alarm reports.
    func send(messageID: UInt16, body: [UInt8]) throws(Failure) {
        let channel = try ready()
        let frame = self.frame(messageID, body)
        do {
            try channel.writeAndFlush(ByteBuffer(bytes: frame)).wait()
        } catch {
            drop(channel)
            throw .write("\(error)")
        }
    }

    /// Closes the link (at the service's stop).
    func close() {
        let c = lock.withLock { () -> (any Channel)? in
            defer { channel = nil; loggedIn = false }
            heartbeat?.cancel()
            heartbeat = nil
            return channel
        }
        try? c?.close().wait()
    }

    // MARK: the link

    private func ready() throws(Failure) -> any Channel {
        let current: (any Channel)? = lock.withLock { loggedIn ? self.channel : nil }
        if let current, current.isActive { return current }
        let stale: (any Channel)? = lock.withLock { self.channel }
        if let stale { drop(stale) }
        let channel: any Channel
        do {
            channel = try ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelInitializer { [weak self] ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHandler(JTT809Inbound(link: self))
                    }
                }
                .connect(host: settings.host, port: settings.port).wait()
        } catch {
            throw .connect("\(settings.host):\(settings.port): \(error)")
        }
        let answer = channel.eventLoop.makePromise(of: UInt8.self)
        lock.withLock {
            self.channel = channel
            loginAnswer = answer
            lastHeard = Date()
        }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { answer.fail(Failure.login("no answer to the login within 5 s")) }
        let login = JTT809Messages.login(user: settings.user, password: settings.password, accessCode: settings.accessCode,
                                         downLinkIP: settings.downLinkIP, downLinkPort: settings.downLinkPort)
        channel.writeAndFlush(ByteBuffer(bytes: frame(JTT809Messages.loginRequest, login)), promise: nil)
        let result: UInt8
        do {
            result = try answer.futureResult.wait()
            timeout.cancel()
        } catch {
            drop(channel)
            throw error as? Failure ?? .login("\(error)")
        }
        guard result == 0 else {
            drop(channel)
            throw .login(JTT809Messages.loginResult(result))
        }
        let interval = TimeAmount.milliseconds(Int64(settings.heartbeatS * 1000))
        lock.withLock {
            loggedIn = true
            heartbeat?.cancel()
            heartbeat = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
                self?.beat(channel)
            }
        }
        return channel
    }

    /// Every `heartbeatS`: 0x1005, and a link silent for three beats is given up.
    private func beat(_ channel: any Channel) {
        let silent = lock.withLock { Date().timeIntervalSince(lastHeard) }
        if silent > 3 * settings.heartbeatS {
            drop(channel)
            return
        }
        channel.writeAndFlush(ByteBuffer(bytes: frame(JTT809Messages.heartbeat, [])), promise: nil)
    }

    private func drop(_ c: any Channel) {
        forget(c)
        c.close(promise: nil)
    }

    /// `c` is no longer the link (closed by us or by the platform): not logged in, no beats.
    private func forget(_ c: any Channel) {
        lock.withLock {
            if channel === c {
                channel = nil
                loggedIn = false
                heartbeat?.cancel()
                heartbeat = nil
            }
        }
    }

    /// The login's answer, if one is awaited; each is taken once.
    private func takeLoginAnswer() -> EventLoopPromise<UInt8>? {
        lock.withLock {
            defer { loginAnswer = nil }
            return loginAnswer
        }
    }

    private func frame(_ id: UInt16, _ body: [UInt8]) -> [UInt8] {
        let n = lock.withLock { () -> UInt32 in
            serial &+= 1
            return serial
        }
        var f = JTT809Frame(messageID: id, serial: n, accessCode: settings.accessCode, body: body)
        f.time = UInt64(max(0, Date().timeIntervalSince1970))
        if settings.cipher != nil {
            f.encrypted = true
            f.encryptKey = UInt32.random(in: 1...UInt32.max)
        }
        return f.encoded(version: version, cipher: settings.cipher)
    }

    // MARK: what the platform says (on the event loop)

    fileprivate func received(_ f: JTT809Frame) {
        lock.withLock { lastHeard = Date() }
        switch f.messageID {
        case JTT809Messages.loginResponse:
            takeLoginAnswer()?.succeed(f.body.first ?? 0xFF)
        default:
            // 0x1006 and anything else keep the link alive; nothing else is asked of us here.
            break
        }
    }

    fileprivate func closed(_ c: any Channel) {
        forget(c)
        takeLoginAnswer()?.fail(Failure.login("the platform closed the link"))
    }

    /// The standard's edition this link speaks.
    var version: JTT809Frame.Version { .v2019 }
}

/// Splits what the platform sends into frames (0x5B … 0x5D) and hands each to the link; bytes
/// that are no frame are dropped, and a stream that never closes a frame within 64 KiB is cut.
private final class JTT809Inbound: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    weak var link: JTT809Link?
    private var pending: [UInt8] = []

    init(link: JTT809Link?) { self.link = link }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let start = pending.firstIndex(of: JTT809Frame.head) {
            guard let end = pending[start...].firstIndex(of: JTT809Frame.tail) else {
                if start > 0 { pending.removeFirst(start) }
                break
            }
            if let link, let f = try? JTT809Frame.decode(escaped: pending[(start + 1)..<end], version: link.version, cipher: link.settings.cipher) {
                link.received(f)
            }
            pending.removeFirst(end + 1)
        }
        if pending.count > 64 * 1024 || pending.first != JTT809Frame.head { pending.removeAll(keepingCapacity: true) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        link?.closed(context.channel)
        context.fireChannelInactive()
    }
}
