/// What the engine asks the service to publish (and, for violations, to store first).
public enum Output: Sendable, Equatable {
    /// A violation raised or cleared: stored, then published on `violation.`/`cleared.<kind>`.
    case violation(Violation)
    /// Any other published event (`access.<gate>`, `muster.*`): topic and body.
    case event(topic: String, body: Value, time: Instant)

    public var topic: String {
        switch self {
        case .violation(let v): return v.topic
        case .event(let topic, _, _): return topic
        }
    }

    public func body(site: String) -> Value {
        switch self {
        case .violation(let v): return v.body(site: site)
        case .event(_, let body, _): return body
        }
    }
}
