/// What joins the HTTP side to the engine thread: requests go in through the mailbox, events
/// and positions come out through the feed. Neither ever makes the engine wait.
public struct HTTPBridge: Sendable {
    public let mailbox: ControlMailbox
    public let feed: LiveFeed
    /// Called on the engine thread with the seconds from taking an ingest frame to publishing
    /// what it caused (the `cordon_ingest_to_publish_seconds` histogram); must not block.
    public let ingestToPublish: (@Sendable (Double) -> Void)?

    public init(mailbox: ControlMailbox, feed: LiveFeed, ingestToPublish: (@Sendable (Double) -> Void)? = nil) {
        self.mailbox = mailbox
        self.feed = feed
        self.ingestToPublish = ingestToPublish
    }
}
