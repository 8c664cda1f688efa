/// Publishes on the events socket and hands the same event to the live feed, which never
/// waits for a WebSocket client.
final class TeeEventSink: EventSink {
    let primary: any EventSink
    let feed: LiveFeed

    init(primary: any EventSink, feed: LiveFeed) {
        self.primary = primary
        self.feed = feed
    }

    func publish(topic: String, body: [UInt8]) -> Bool {
        let sent = primary.publish(topic: topic, body: body)
        feed.post(topic: topic, body: body)
        return sent
    }
}
