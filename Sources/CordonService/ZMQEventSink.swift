import ZeroMQ

/// Publishes events on the PUB socket: two frames, topic then body (docs/protocol.md, "Transport").
final class ZMQEventSink: EventSink {
    let socket: Socket

    init(socket: Socket) {
        self.socket = socket
    }

    func publish(topic: String, body: [UInt8]) -> Bool {
        do {
            // PUB never blocks: past the high-water mark ZeroMQ drops, and we count it.
            guard try socket.send(topic, more: true, dontWait: true) else { return false }
            return try socket.send(body, dontWait: true)
        } catch {
            return false
        }
    }
}
