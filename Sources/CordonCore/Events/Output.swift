/// What the engine asks the service to publish, by family (docs/protocol.md, "Published
/// events"). The service routes each by its case, never by its topic: a violation is stored
/// then published, an access decision goes with its gate record, a muster event with the
/// muster's record.
public enum Output: Sendable, Equatable {
    /// A violation raised or cleared: stored, then published on `violation.`/`cleared.<kind>`.
    case violation(Violation)
    /// A gate's decision on a passage, published on `access.<gate>`.
    case access(AccessDecision)
    /// A roll-call event, published on `muster.<event>`.
    case muster(MusterEvent, body: Value, time: Instant)

    /// The events of a roll-call (docs/mustering.md).
    public enum MusterEvent: String, Sendable, Equatable, CaseIterable {
        case started, progress, accounted, ended

        public var topic: String { "muster." + rawValue }
    }

    public var topic: String {
        switch self {
        case .violation(let v): return v.topic
        case .access(let d): return d.topic
        case .muster(let e, _, _): return e.topic
        }
    }

    /// The event's own time.
    public var time: Instant {
        switch self {
        case .violation(let v): return v.time
        case .access(let d): return d.time
        case .muster(_, _, let t): return t
        }
    }

    public func body(site: String) -> Value {
        switch self {
        case .violation(let v): return v.body(site: site)
        case .access(let d): return d.body(site: site)
        case .muster(_, let body, _): return body
        }
    }

    /// True for a roll-call event: the muster's stored record changes with it.
    public var isMuster: Bool {
        if case .muster = self { return true }
        return false
    }
}
