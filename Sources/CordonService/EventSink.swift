/// Where published events go: the PUB socket in `serve`, standard output in `replay`.
public protocol EventSink: AnyObject {
    /// Sends one event (topic frame, body frame). Returns false when it could not be sent.
    func publish(topic: String, body: [UInt8]) -> Bool
}
