/// The set of raised conditions, with raise-once / clear-once semantics.
///
/// A condition's identity is `(kind, subject, scope)`. Raising one that is already up does
/// nothing; clearing one that is not up does nothing. Every real change becomes an ``Output``,
/// in the order it happened.
public struct AlarmBook: Sendable {
    /// Identity of a condition.
    public struct Key: Hashable, Sendable, Codable {
        public var kind: ViolationKind
        public var subject: String
        public var scope: String

        public init(kind: ViolationKind, subject: String, scope: String) {
            self.kind = kind
            self.subject = subject
            self.scope = scope
        }
    }

    /// Who acknowledged an alarm, and when.
    public struct Acknowledgement: Sendable, Equatable, Codable {
        public var by: String
        public var at: Instant

        public init(by: String, at: Instant) {
            self.by = by
            self.at = at
        }
    }

    public private(set) var active: [Key: Violation] = [:]
    /// How many conditions of each kind are up: lets the per-position checks ("is this tag
    /// offline?", "is this person down?") skip building a key when none of that kind is.
    private var countByKind = [Int](repeating: 0, count: ViolationKind.allCases.count)
    public private(set) var acknowledgements: [String: Acknowledgement] = [:]
    /// Changes since the engine last collected them.
    var pending: [Output] = []
    private var idsByKey: [String: Key] = [:]

    public init() {}

    /// Identity of a violation.
    public static func key(of v: Violation) -> Key {
        Key(kind: v.kind, subject: "\(v.subject.kind):\(v.subject.id)", scope: v.scope)
    }

    public func isRaised(_ key: Key) -> Bool { active[key] != nil }

    /// Whether any condition of `kind` is up.
    public func hasActive(_ kind: ViolationKind) -> Bool { countByKind[kind.ordinal] > 0 }

    private mutating func counted(_ kind: ViolationKind, _ delta: Int) {
        countByKind[kind.ordinal] = max(0, countByKind[kind.ordinal] + delta)
    }

    /// Raises `v` unless its condition is already up. Returns whether it was raised now.
    @discardableResult
    public mutating func raise(_ v: Violation) -> Bool {
        let key = Self.key(of: v)
        guard active[key] == nil else { return false }
        var raised = v
        raised.state = .raised
        raised.id = Self.makeID(key: key, at: v.time, taken: idsByKey)
        active[key] = raised
        counted(key.kind, 1)
        idsByKey[raised.id] = key
        pending.append(.violation(raised))
        return true
    }

    /// Clears the condition `key` at `t`, keeping its id; `details` and `position` describe the end.
    @discardableResult
    public mutating func clear(
        _ key: Key, at t: Instant, position: Violation.Position? = nil, details: [String: Value]? = nil
    ) -> Bool {
        guard var v = active.removeValue(forKey: key) else { return false }
        counted(key.kind, -1)
        idsByKey[v.id] = nil
        acknowledgements[v.id] = nil
        v.state = .cleared
        v.time = t
        if let position { v.position = position }
        if let details { v.details = details }
        pending.append(.violation(v))
        return true
    }

    /// The active violation with this id.
    public func violation(id: String) -> Violation? { idsByKey[id].flatMap { active[$0] } }

    /// Records an acknowledgement; event kinds (SOS, access denied…) end with it.
    public mutating func acknowledge(id: String, by: String, at t: Instant) -> Violation? {
        guard let key = idsByKey[id], let v = active[key] else { return nil }
        acknowledgements[id] = Acknowledgement(by: by, at: t)
        // A zone crossed between two fixes is an event too: it ends when someone has seen it.
        if v.kind.endsOnAcknowledgement || v.scope.hasPrefix("crossing:") {
            clear(key, at: t, details: v.details.merging(["acknowledged_by": .string(by)]) { _, new in new })
        }
        return v
    }

    /// Puts back a condition that was raised before a restart, without publishing it again.
    public mutating func restore(_ v: Violation, acknowledgement: Acknowledgement? = nil) {
        let key = Self.key(of: v)
        if active.updateValue(v, forKey: key) == nil { counted(key.kind, 1) }
        idsByKey[v.id] = key
        if let acknowledgement { acknowledgements[v.id] = acknowledgement }
    }

    /// Queues a published event that is not a violation (an access decision, a muster event), so
    /// that everything the engine says comes out in one stream, in the order it happened.
    mutating func publish(_ output: Output) {
        pending.append(output)
    }

    /// Takes the changes made since the last call.
    mutating func drain() -> [Output] {
        guard !pending.isEmpty else { return [] }
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Active violations of one kind whose subject is `subject` (e.g. every zone a person is flagged in).
    public func active(kind: ViolationKind, subject: String) -> [Violation] {
        active.filter { $0.key.kind == kind && $0.key.subject == subject }.map(\.value)
    }

    /// A stable id: the same condition raised at the same instant gets the same id in every
    /// replay, so outputs are comparable byte for byte.
    static func makeID(key: Key, at t: Instant, taken: [String: Key]) -> String {
        StableID.violation(kind: key.kind.rawValue, subject: key.subject, scope: key.scope, at: t)
            .unique(prefix: "V-") { taken[$0] != nil }
    }
}
