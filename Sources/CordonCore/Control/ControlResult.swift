/// What a control request did: the reply, what to publish, and what to make durable.
public struct ControlResult: Sendable {
    /// The reply's members (without `ok`), or the error.
    public var reply: Result<[String: Value], RequestError>
    /// Events caused by the request (e.g. a cleared `unknown-tag` when its tag is registered).
    public var outputs: [Output]
    /// Changes the store must keep for a restart.
    public var effects: [Effect]

    public init(reply: Result<[String: Value], RequestError>, outputs: [Output] = [], effects: [Effect] = []) {
        self.reply = reply
        self.outputs = outputs
        self.effects = effects
    }

    /// A durable change made by a control request.
    public enum Effect: Sendable, Equatable {
        case registryUpserted(people: [Person], vehicles: [Vehicle])
        case registryRemoved(people: [String], vehicles: [String])
        /// Reference tags added or replaced, and removed (by id).
        case referencesUpserted([ReferenceTag])
        case referencesRemoved([String])
        /// An alarm acknowledged: who, when, and the alarm as it was (for forwarding).
        case acknowledged(id: String, by: String, at: Instant, alarm: Violation)
        /// Engine state that must survive a restart changed (permits…): save the snapshot before replying.
        case stateChanged
        /// A muster ended: keep its final report.
        case musterEnded(id: String, report: Value)
        /// A booking created, cancelled or otherwise changed: keep it as it now stands.
        case bookingStored(Booking)
    }
}
