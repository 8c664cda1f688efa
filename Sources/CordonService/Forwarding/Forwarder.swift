import AsyncHTTPClient
import CordonCore
import CordonStore
import Logging
import ZeroMQ

/// Forwarding to other platforms (docs/forwarding.md): one ``ForwardingWorker`` per
/// destination, sharing one HTTP client, delivering what the committer put in the outbox.
final class Forwarder: Sendable {
    let config: ForwardingConfig
    private let client: HTTPClient
    /// For `zmq` destinations only.
    private let context: ZMQContext?
    private let workers: [ForwardingWorker]
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
            ])
        })
    }
}
