import AsyncHTTPClient
import CordonCore
import CordonStore
import Foundation
import Logging
import NIOCore
import Synchronization
import ZeroMQ

/// Forwarding to other platforms (docs/forwarding.md): one ``ForwardingWorker`` per
/// destination, sharing one HTTP client, delivering what the committer put in the outbox.
final class Forwarder: Sendable {
    let config: ForwardingConfig
    private let client: HTTPClient
    /// For `zmq` destinations only.
    private let context: ZMQContext?
    private let workers: [ForwardingWorker]
    /// Snapshots replaced by newer ones before they were delivered, per destination, since start.
    private let coalesced = Mutex<[String: Int]>([:])
    /// When each destination's next headcount snapshot is due (the service clock).
    private let snapshotDue = Mutex<[String: Instant]>([:])
    /// When each destination's next round of vehicle positions is due.
    private let vehiclesDue = Mutex<[String: Instant]>([:])
    private let store: Store

    init(config: ForwardingConfig, store: Store, logger: Logger) {
        self.config = config
        self.store = store
        var c = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(15)))
        c.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: c)
        self.client = client
        var context: ZMQContext?
        if config.destinations.contains(where: { $0.kind == "zmq" }) {
            do { context = try ZMQContext() } catch { logger.error("no ZeroMQ context for forwarding: \(error)") }
        }
        self.context = context
        workers = config.destinations.map { ForwardingWorker(destination: $0, store: store, client: client, context: context, logger: logger) }
    }

    /// New messages are in the outbox.
    func wake() {
        for w in workers { w.wake() }
    }

    /// Queues a headcount snapshot for each destination that takes them and is due at `t`;
    /// a snapshot still undelivered is replaced (latest wins) and counted.
    /// The running muster's status goes with it, while one runs, to destinations that take it.
    func queueSnapshots(_ zones: () -> [ZoneHeadcount], muster: () -> Value?, messages: ForwardMessages, at t: Instant, logger: Logger) {
        let due = config.destinations.filter { d in
            (d.takes(type: "headcount.snapshot") || d.takes(type: "muster.status"))
                && snapshotDue.withLock { ($0[d.id] ?? Instant(milliseconds: 0)) <= t }
        }
        guard !due.isEmpty else { return }
        let now = zones()
        let roll = muster()
        for d in due {
            snapshotDue.withLock { $0[d.id] = t.adding(seconds: d.snapshotS) }
            var queued: [OutboxMessage] = []
            if d.takes(type: "headcount.snapshot") { queued.append(messages.headcount(now, for: d, at: t)) }
            if d.takes(type: "muster.status"), let roll { queued.append(messages.muster(roll, for: d, at: t)) }
            for m in queued {
                do {
                    let replaced = try store.replaceOutbox(with: m)
                    if replaced > 0 { coalesced.withLock { $0[d.id, default: 0] += replaced } }
                } catch {
                    logger.warning("\(m.type) for \(d.id) not queued (the next one will be): \(error)")
                }
            }
            workers.first { $0.destination.id == d.id }?.wake()
        }
    }

    /// Queues each hazardous-chemicals vehicle's position for each destination that takes them
    /// and is due at `t` (every `vehicle_interval_s`); a vehicle's position still undelivered is
    /// replaced by its newer one (latest wins per vehicle) and counted.
    func queueVehiclePositions(_ fixes: () -> [HazmatVehicleFix], messages: ForwardMessages, at t: Instant, logger: Logger) {
        let due = config.destinations.filter { d in
            d.takes(type: "vehicle.position") && vehiclesDue.withLock { ($0[d.id] ?? Instant(milliseconds: 0)) <= t }
        }
        guard !due.isEmpty else { return }
        let now = fixes()
        for d in due {
            vehiclesDue.withLock { $0[d.id] = t.adding(seconds: d.vehicleIntervalS) }
            let round = now.filter { f in d.enterprises.map { e in f.enterprise.map(e.contains) ?? false } ?? true }
                .map { messages.vehiclePosition($0, for: d, at: t) }
            guard !round.isEmpty else { continue }
            do {
                let replaced = try store.replaceOutbox(with: round, perSubject: true)
                if replaced > 0 { coalesced.withLock { $0[d.id, default: 0] += replaced } }
            } catch {
                logger.warning("\(round.count) vehicle.position(s) for \(d.id) not queued (the next round will be): \(error)")
            }
            workers.first { $0.destination.id == d.id }?.wake()
        }
    }

    /// Messages given up since the last call, all destinations.
    func takeFailures() -> [ForwardingFailure] { workers.flatMap { $0.takeFailures() } }

    /// Stops the workers (what is undelivered stays in the outbox for the next start).
    func close() {
        for w in workers { w.stop() }
        try? client.syncShutdown()
        context?.shutdown()
    }

    /// `forward.status`: per destination, the backlog, the oldest undelivered message, what was
    /// given up, the last success and the last error.
    func status() throws(StoreError) -> Value {
        let counts = try store.outboxStatus(destinations: workers.map(\.destination.id))
        return .array(zip(workers, counts).map { w, c in
            let s = w.status
            return .compact([
                "id": .string(w.destination.id), "kind": .string(w.destination.kind), "backlog": .int(c.backlog),
                "oldest_undelivered": c.oldest.map(Value.time) ?? .null, "given_up": .int(c.dead),
                "delivered_since_start": .int(s.delivered), "given_up_since_start": .int(s.givenUp),
                "last_success": s.lastSuccess.map(Value.time) ?? .null,
                "last_error": .optional(s.lastError), "last_error_at": s.lastErrorAt.map(Value.time) ?? .null,
                "coalesced_since_start": .int(coalesced.withLock { $0[w.destination.id] ?? 0 }),
            ])
        })
    }
}
