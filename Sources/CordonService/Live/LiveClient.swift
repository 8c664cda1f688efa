import Synchronization

/// One WebSocket client's bounded queue. The engine offers; the client's task takes batches.
public final class LiveClient: Sendable {
    struct State {
        var events: [LiveMessage] = []
        /// Latest position per subject, in the order subjects first moved since the last take.
        var positions: [String: [UInt8]] = [:]
        var order: [String] = []
        var resync = false
        var finished = false
        /// Topic prefixes wanted; nil is everything.
        var filter: [String]?
    }

    public let id: Int
    let eventCapacity: Int
    let positionCapacity: Int
    private let state = Mutex(State())
    private let signal: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    /// Times this client was told to resynchronise.
    private let resyncs = Atomic<Int>(0)

    init(id: Int, eventCapacity: Int, positionCapacity: Int) {
        self.id = id
        self.eventCapacity = eventCapacity
        self.positionCapacity = positionCapacity
        (wakes, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// `{"subscribe":[…]}`: topic prefixes (`violation.`, `muster.`, `position`); empty or
    /// absent is everything.
    public func subscribe(_ prefixes: [String]?) {
        state.withLock { $0.filter = (prefixes?.isEmpty ?? true) ? nil : prefixes }
    }

    /// How many times this client fell behind.
    public var resyncCount: Int { resyncs.load(ordering: .relaxed) }

    private static func wants(_ filter: [String]?, _ topic: String) -> Bool {
        guard let filter else { return true }
        return filter.contains { topic.hasPrefix($0) }
    }

    func offer(_ m: LiveMessage) {
        let wake = state.withLock { s -> Bool in
            guard !s.finished, Self.wants(s.filter, m.topic) else { return false }
            if s.events.count >= eventCapacity {
                // Behind: what it has is no longer a true picture. Tell it to reload.
                s.events.removeAll(keepingCapacity: true)
                s.positions.removeAll(keepingCapacity: true)
                s.order.removeAll(keepingCapacity: true)
                s.resync = true
                resyncs.add(1, ordering: .relaxed)
                return true
            }
            s.events.append(m)
            return true
        }
        if wake { signal.yield() }
    }

    func offer(position body: [UInt8], subject: String) {
        let wake = state.withLock { s -> Bool in
            guard !s.finished, Self.wants(s.filter, "position") else { return false }
            if s.positions.updateValue(body, forKey: subject) == nil {
                if s.order.count >= positionCapacity {
                    s.positions.removeValue(forKey: subject)
                    return false
                }
                s.order.append(subject)
            }
            return true
        }
        if wake { signal.yield() }
    }

    func finish() {
        state.withLock { $0.finished = true }
        signal.finish()
    }

    /// Waits for something to send and returns it: a resync first, then events in order
    /// (alarms before positions), then the latest position of each subject. Nil once finished.
    public func next() async -> [LiveMessage]? {
        while true {
            let batch = state.withLock { s -> [LiveMessage]? in
                if s.finished { return nil }
                var out: [LiveMessage] = []
                if s.resync {
                    out.append(.resync)
                    s.resync = false
                }
                out += s.events
                s.events.removeAll(keepingCapacity: true)
                for k in s.order {
                    if let p = s.positions[k] { out.append(LiveMessage(topic: "position", text: p)) }
                }
                s.positions.removeAll(keepingCapacity: true)
                s.order.removeAll(keepingCapacity: true)
                return out
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            var it = wakes.makeAsyncIterator()
            if await it.next() == nil { return nil }
        }
    }
}
