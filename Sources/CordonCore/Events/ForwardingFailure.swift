/// A message the service gave up forwarding (docs/forwarding.md): the input of the
/// `forwarding-failed` rule (``Engine/forwardingFailed(_:at:)``). The engine never talks to a
/// platform; the service tells it.
public struct ForwardingFailure: Sendable, Equatable {
    /// The destination's id in the forwarding list.
    public var destination: String
    public var msgID: String
    /// `alarm.raised`, …
    public var type: String
    /// Why: the platform's final refusal, or the give-up time passed.
    public var reason: String

    public init(destination: String, msgID: String, type: String, reason: String) {
        self.destination = destination
        self.msgID = msgID
        self.type = type
        self.reason = reason
    }
}
