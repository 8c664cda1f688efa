import AsyncHTTPClient
import CordonCore
import CordonStore
import CordonWire
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ZeroMQ

/// Delivers one destination's outbox on a thread of its own, oldest message first
/// (docs/forwarding.md).
///
/// At least once and in order: the head of the queue is sent until the destination takes it,
/// refuses it for good, or its give-up time passes; nothing behind it overtakes it, so alarms
/// arrive in the order they were raised (per subject, and across subjects too). A message is
/// deleted from the outbox only after the destination answered 2xx, so a crash or SIGKILL in
/// between sends it again, with the same `msg_id`. A refused attempt is retried after
/// 1, 2, 4 … s (at most 5 minutes, or the destination's `max_backoff_s`), each with up to half of it again at random, so that many
/// parks coming back at once do not knock the platform over together.
final class ForwardingWorker: @unchecked Sendable {
    let destination: ForwardingDestination
    private let store: Store
    private let client: HTTPClient
    /// For `zmq` destinations: the context, and the PUSH socket made on this worker's thread.
    private let context: ZMQContext?
    private var push: Socket?
    /// For `jtt809` destinations: the main link, made at the first message.
    private var link: JTT809Link?
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    private var woken = false
    /// Delivered, not yet deleted from the outbox (the store refused the delete). Only this
    /// worker's thread touches it and ``deliveredThrough``.
    private var unmarked: [Int64] = []
    /// The outbox id of the last message delivered: reading resumes after it, so that a store
    /// that will not delete delivered rows does not hide the ones behind them.
    private var deliveredThrough: Int64 = 0
    private var state = Status()
    /// Messages given up since the engine last heard of them (`forwarding-failed`).
    private var failures: [ForwardingFailure] = []

    /// What `forward.status` shows beside the outbox's own counts.
    struct Status: Sendable {
        var delivered = 0
        var givenUp = 0
        var lastSuccess: Instant?
        var lastError: String?
        var lastErrorAt: Instant?
    }

    /// The most of a platform's answer that is read.
    static let maxAnswerBytes = 64 * 1024

    /// The longest wait between two looks at an empty outbox (a commit wakes it sooner).
    static let idlePollS = 1.0

    init(destination: ForwardingDestination, store: Store, client: HTTPClient, context: ZMQContext?, logger: Logger) {
        self.destination = destination
        self.store = store
        self.client = client
        self.context = context
        self.logger = logger
        WorkerThread.start(name: "cordon-fwd-\(destination.id.prefix(6))", urgency: .background) { [self] in run() }
    }

    var status: Status { condition.withLock { state } }

    /// The messages given up since the last call.
    func takeFailures() -> [ForwardingFailure] {
        condition.withLock {
            defer { failures.removeAll() }
            return failures
        }
    }

    /// New messages were committed: look now rather than at the next poll.
    func wake() {
        condition.withLock {
            woken = true
            condition.signal()
        }
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        link?.close()
    }

    // MARK: the thread

    private func run() {
        while !isStopping {
            markDelivered()
            let batch: [OutboxMessage]
            do {
                batch = try store.pendingOutbox(destination: destination.id, after: deliveredThrough, limit: 64)
            } catch {
                note(error: "cannot read the outbox: \(error)")
                sleep(until: Date().addingTimeInterval(2))
                continue
            }
            if batch.isEmpty {
                sleep(until: Date().addingTimeInterval(Self.idlePollS))
                continue
            }
            for m in batch {
                if isStopping { break }
                let now = WallClock.now()
                if now.seconds(since: m.created) > destination.giveUpS {
                    giveUp(m, reason: "not delivered within \(Int(destination.giveUpS / 3600 * 100) / 100) h: \(m.lastError ?? "never answered")")
                    continue
                }
                if m.nextAt > now {
                    sleep(until: Date().addingTimeInterval(m.nextAt.seconds(since: now)))
                    break  // read the head again: it may have been given up meanwhile
                }
                var next = true
                switch send(m) {
                case .delivered:
                    unmarked.append(m.id)
                    deliveredThrough = m.id
                    condition.withLock {
                        state.delivered += 1
                        state.lastSuccess = WallClock.now()
                    }
                case .refused(let reason):
                    markDelivered()
                    giveUp(m, reason: reason)
                case .failed(let reason):
                    markDelivered()
                    let wait = Self.backoff(attempts: m.attempts, max: destination.maxBackoffS)
                    note(error: reason)
                    do {
                        try store.outboxAttemptFailed(id: m.id, nextAt: WallClock.now().adding(seconds: wait), error: reason)
                    } catch {
                        note(error: "\(reason); and the outbox could not note it: \(error)")
                    }
                    sleep(until: Date().addingTimeInterval(wait))
                    next = false  // the head again: nothing overtakes it
                }
                if !next { break }
            }
        }
        markDelivered()
        push?.close()
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    private var isStopping: Bool { condition.withLock { stopping } }

    /// Waits until `deadline`, a wake-up, or the stop.
    private func sleep(until deadline: Date) {
        condition.lock()
        while !stopping && !woken && Date() < deadline { _ = condition.wait(until: deadline) }
        woken = false
        condition.unlock()
    }

    private func markDelivered() {
        guard !unmarked.isEmpty else { return }
        do {
            try store.outboxDelivered(ids: unmarked)
            unmarked.removeAll()
        } catch {
            // Delivered all the same: kept in memory and skipped, deleted once the store takes writes.
            note(error: "delivered, but the outbox could not be updated: \(error)")
        }
    }

    private func giveUp(_ m: OutboxMessage, reason: String) {
        logger.error("forwarding to \(destination.id) gave up \(m.type) \(m.msgID): \(reason)")
        note(error: "gave up \(m.msgID): \(reason)")
        do {
            try store.outboxGiveUp(m, at: WallClock.now(), reason: reason)
            condition.withLock {
                state.givenUp += 1
                failures.append(ForwardingFailure(destination: destination.id, msgID: m.msgID, type: m.type, reason: reason))
            }
        } catch {
            note(error: "could not give up \(m.msgID): \(error)")
            sleep(until: Date().addingTimeInterval(2))
        }
    }

    private func note(error: String) {
        condition.withLock {
            state.lastError = error
            state.lastErrorAt = WallClock.now()
        }
    }

    /// 1, 2, 4 … s after each failed attempt, at most `max` (the destination's
    /// `max_backoff_s`, 300 by default), plus up to half again.
    static func backoff(attempts: Int, max: Double) -> Double {
        let base = min(max, pow(2, Double(min(attempts, 20))))
        return base + Double.random(in: 0...(base / 2))
    }

    // MARK: sending

    enum Outcome {
        case delivered
        /// Final: the destination will never take it (4xx but 408 and 429).
        case refused(String)
        /// Worth trying again: 5xx, 408, 429, no answer, a dropped connection.
        case failed(String)
    }

    private func send(_ m: OutboxMessage) -> Outcome {
        let body = ForwardMessages.wire(m, sentAt: WallClock.now())
        switch destination.transport {
        case .http(let url, let profile): return post(body, message: m, url: url, profile: profile)
        case .zmq(let endpoint): return pushed(body, endpoint: endpoint)
        case .jtt809(let settings): return linked(m, settings: settings)
        }
    }

    /// A vehicle's position as 0x1202, a vehicle alarm whose kind JT/T 809 has a WarnType for
    /// as 0x1402; anything else has no JT/T 809 form and is passed over (counted delivered).
    private func linked(_ m: OutboxMessage, settings: JTT809Settings) -> Outcome {
        guard let envelope = try? JSONText.parse(Array(m.envelope.utf8)), let b = envelope["body"] else {
            return .refused("the outbox holds a message that is not JSON")
        }
        let plate = b["plate"]?.stringValue ?? b["subject"]?["id"]?.stringValue ?? ""
        let time = b["t"]?.stringValue.flatMap(RFC3339.parse) ?? m.created
        let message: (id: UInt16, body: [UInt8])
        switch m.type {
        case "vehicle.position":
            guard let lat = b["position"]?["lat"]?.numberValue, let lon = b["position"]?["lon"]?.numberValue else {
                return .refused("a vehicle position without lon/lat")
            }
            message = (JTT809Messages.vehicleExchange, JTT809Messages.location(.init(
                plate: plate, plateColor: settings.plateColor, lat: lat, lon: lon, speedKmh: b["speed_kmh"]?.numberValue ?? 0,
                headingDeg: b["heading_deg"]?.numberValue, time: time.milliseconds)))
        case "vehicle.alarm":
            let raised = b["state"]?.stringValue != "cleared"
            guard let kind = b["kind"]?.stringValue, let warnType = JTT809Messages.warnType(kind: kind, raised: raised) else { return .delivered }
            let since = b["details"]?["since"]?.stringValue.flatMap(RFC3339.parse) ?? time
            message = (JTT809Messages.warning, JTT809Messages.warning(.init(
                warnType: warnType, plate: plate, plateColor: settings.plateColor, time: time.milliseconds, started: since.milliseconds,
                ended: raised ? nil : time.milliseconds, sourcePlatform: settings.platformID, destinationPlatform: "",
                content: b["content"]?.stringValue ?? kind)))
        default:
            return .delivered
        }
        if link == nil { link = JTT809Link(settings: settings) }
        do {
            try link?.send(messageID: message.id, body: message.body)
            return .delivered
        } catch {
            return .failed("\(error)")
        }
    }

    /// Queued on the PUSH socket for a connected peer: as far as ZeroMQ can tell, delivered.
    /// With `ZMQ_IMMEDIATE` nothing is queued while no peer is connected, so a platform that
    /// is down keeps its messages in the outbox, not in a socket buffer.
    private func pushed(_ body: [UInt8], endpoint: String) -> Outcome {
        do {
            if push == nil {
                guard let context else { return .refused("no ZeroMQ context") }
                let s = try context.socket(.push)
                try s.setImmediate(true)
                try s.setSendHighWaterMark(1000)
                try s.setLinger(0)
                try s.connect(endpoint)
                push = s
            }
            guard let push else { return .failed("no socket") }
            return try push.send(body, dontWait: true) ? .delivered : .failed("no peer connected to \(endpoint) takes messages (not connected, or its queue is full)")
        } catch {
            return .failed("\(error)")
        }
    }

    private func post(_ envelope: [UInt8], message m: OutboxMessage, url: URL, profile: ForwardingDestination.HTTPProfile) -> Outcome {
        do {
            var request = try HTTPClient.Request(url: url.absoluteString, method: .POST)
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "Idempotency-Key", value: m.msgID)
            request.headers.add(name: "X-Cordon-Msg-Id", value: m.msgID)
            switch profile {
            case .generic(let secret):
                request.headers.add(name: "X-Cordon-Signature", value: "sha256=" + Self.signature(envelope, secret: secret))
                request.body = .bytes(envelope)
            case .mem(let upload):
                do {
                    request.body = .bytes(try upload.body(envelope: envelope, type: m.type, msgID: m.msgID))
                } catch {
                    // Checked at start with this key and IV: only a broken OpenSSL gets here.
                    return .failed("\(error)")
                }
            }
            // A platform's answer is read up to 64 KiB: one that sends more is not believed.
            let response = try client.execute(request: request, delegate: ResponseAccumulator(request: request, maxBodySize: Self.maxAnswerBytes),
                                              deadline: .now() + .seconds(15)).wait()
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                guard case .mem = profile else { return .delivered }
                let answer = MEMUpload.taken(answer: response.body.map { Array(buffer: $0) } ?? [])
                return answer.taken ? .delivered : .failed(answer.why)
            case 408, 429: return .failed("HTTP \(code)")
            case 400..<500:
                let text = response.body.map { String(buffer: $0).prefix(300) } ?? ""
                return .refused("HTTP \(code): \(text)")
            default: return .failed("HTTP \(code)")
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// Hex HMAC-SHA256 of `body` with the destination's shared secret.
    static func signature(_ body: [UInt8], secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
