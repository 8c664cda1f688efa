import CordonCore
import Synchronization

/// The published stream for WebSocket clients: every event the engine publishes and the
/// throttled positions, fanned out to each client's own bounded queue.
///
/// The engine thread only appends under a short lock and never waits for a client: a client
/// that does not keep up is marked for `resync` and its queue emptied. Positions are kept
/// apart from events (one latest position per subject), so positions never push an alarm out.
public final class LiveFeed: Sendable {
    private let clients = Mutex<[Int: LiveClient]>([:])
    private let nextID = Atomic<Int>(0)
    private let count = Atomic<Int>(0)
    /// Events a client may have waiting before it is told to resynchronise.
    public let eventCapacity: Int
    /// Subjects whose latest position a client may have waiting.
    public let positionCapacity: Int

    public init(eventCapacity: Int = 2048, positionCapacity: Int = 50_000) {
        self.eventCapacity = eventCapacity
        self.positionCapacity = positionCapacity
    }

    /// True while a client listens: the engine builds position messages only then.
    public var hasClients: Bool { count.load(ordering: .relaxed) > 0 }

    /// A new client, receiving from now on.
    public func attach() -> LiveClient {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let c = LiveClient(id: id, eventCapacity: eventCapacity, positionCapacity: positionCapacity)
        clients.withLock { $0[id] = c }
        count.add(1, ordering: .relaxed)
        return c
    }

    /// The client left: nothing more is queued for it.
    public func detach(_ client: LiveClient) {
        let removed = clients.withLock { $0.removeValue(forKey: client.id) }
        if removed != nil { count.subtract(1, ordering: .relaxed) }
        client.finish()
    }

    /// Engine side: an event (topic and JSON body as published on the events socket).
    func post(topic: String, body: [UInt8]) {
        guard hasClients else { return }
        let message = LiveMessage.event(topic: topic, body: body)
        clients.withLock { for c in $0.values { c.offer(message) } }
    }

    /// Engine side: the latest position of `subject`.
    func post(position body: [UInt8], subject: String) {
        guard hasClients else { return }
        clients.withLock { for c in $0.values { c.offer(position: body, subject: subject) } }
    }
}
