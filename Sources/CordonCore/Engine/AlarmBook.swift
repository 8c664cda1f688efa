/// The set of raised conditions, with raise-once / clear-once semantics.
///
/// A condition's identity is `(kind, subject, scope)`. Raising one that is already up does
/// nothing; clearing one that is not up does nothing. Every real change becomes an ``Output``,
/// in the order it happened.
public struct AlarmBook: Sendable {
    /// Identity of a condition: its kind and the numbers the book gave its subject and its scope,
    /// packed into one integer. Hashing it hashes two words, not three strings; a key exists only
    /// while its condition is up (``key(_:_:scope:)`` returns nil otherwise).
    public struct Key: Hashable, Sendable {
        public let kind: ViolationKind
        /// Subject number in the high 32 bits, scope number in the low 32.
        let names: UInt64

        init(kind: ViolationKind, subject: UInt32, scope: UInt32) {
            self.kind = kind
            self.names = UInt64(subject) << 32 | UInt64(scope)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(names)
            hasher.combine(UInt8(truncatingIfNeeded: kind.ordinal))
        }
    }

    /// Who a condition is about, by name: `person`/`vehicle`/`tag`/`zone`/`service` and its id.
    public struct Subject: Hashable, Sendable {
        public var kind: String
        public var id: String

        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
        }

        /// A tracked subject: a person, a vehicle or an unregistered tag.
        public init(_ key: SubjectKey) { self.init(kind: key.kind, id: key.id) }

        public static func zone(_ id: String) -> Subject { Subject(kind: "zone", id: id) }
        public static func service(_ id: String) -> Subject { Subject(kind: "service", id: id) }

        /// `person:P0042`: how alarm ids and `alarms.active` name it.
        public var text: String { kind + ":" + id }
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
    /// offline?", "is this person down?") skip the look-up when none of that kind is.
    private var countByKind = [Int](repeating: 0, count: ViolationKind.allCases.count)
    private var acknowledgements: [Key: Acknowledgement] = [:]
    /// Changes since the engine last collected them.
    var pending: [Output] = []
    /// Alarm id → key: acknowledgements and the console name alarms by id.
    private var idsByKey: [String: Key] = [:]
    /// Subjects and scopes numbered while a raised condition names them (NameTable.swift).
    private var subjects = NameTable<Subject>()
    private var scopes = NameTable<String>()

    public init() {}

    /// The key these names would have; nil when a name is not numbered (then nothing of that
    /// kind, subject and scope is up). Hashes the names once; `active` is not looked at.
    private func numbered(_ kind: ViolationKind, _ subject: Subject, scope: String) -> Key? {
        guard countByKind[kind.ordinal] > 0, let s = subjects.number(of: subject), let c = scopes.number(of: scope) else {
            return nil
        }
        return Key(kind: kind, subject: s, scope: c)
    }

    /// The key of the condition `(kind, subject, scope)` while it is up; nil when it is not.
    public func key(_ kind: ViolationKind, _ subject: Subject, scope: String = "") -> Key? {
        numbered(kind, subject, scope: scope).flatMap { active[$0] != nil ? $0 : nil }
    }

    /// The key of the condition `v` stands for, while it is up.
    public func key(of v: Violation) -> Key? {
        key(v.kind, Subject(kind: v.subject.kind, id: v.subject.id), scope: v.scope)
    }

    /// The raised violation of `(kind, subject, scope)`, if it is up.
    public func violation(_ kind: ViolationKind, _ subject: Subject, scope: String = "") -> Violation? {
        numbered(kind, subject, scope: scope).flatMap { active[$0] }
    }

    public func isRaised(_ kind: ViolationKind, _ subject: Subject, scope: String = "") -> Bool {
        violation(kind, subject, scope: scope) != nil
    }

    /// How many subject and scope names are numbered now: never more than two per raised
    /// condition, however many have come and gone.
    public var numberedNames: Int { subjects.count + scopes.count }

    /// Whether any condition of `kind` is up.
    public func hasActive(_ kind: ViolationKind) -> Bool { countByKind[kind.ordinal] > 0 }

    private mutating func counted(_ kind: ViolationKind, _ delta: Int) {
        countByKind[kind.ordinal] = max(0, countByKind[kind.ordinal] + delta)
    }

    /// Numbers the names of `v`'s condition for as long as it is up.
    private mutating func retainKey(of v: Violation) -> Key {
        let s = subjects.retain(Subject(kind: v.subject.kind, id: v.subject.id))
        let c = scopes.retain(v.scope)
        return Key(kind: v.kind, subject: s, scope: c)
    }

    private mutating func releaseKey(_ k: Key) {
        subjects.release(UInt32(truncatingIfNeeded: k.names >> 32))
        scopes.release(UInt32(truncatingIfNeeded: k.names))
    }

    /// Raises `v` unless its condition is already up. Returns whether it was raised now.
    @discardableResult
    public mutating func raise(_ v: Violation) -> Bool {
        guard key(of: v) == nil else { return false }
        let key = retainKey(of: v)
        var raised = v
        raised.state = .raised
        raised.id = Self.makeID(v, at: v.time, taken: idsByKey)
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
        acknowledgements[key] = nil
        releaseKey(key)
        v.state = .cleared
        v.time = t
        if let position { v.position = position }
        if let details { v.details = details }
        pending.append(.violation(v))
        return true
    }

    /// Clears `(kind, subject, scope)` if it is up, with what `end` makes of the raised violation.
    @discardableResult
    public mutating func clear(
        _ kind: ViolationKind, _ subject: Subject, scope: String = "", at t: Instant, position: Violation.Position? = nil,
        end: (Violation) -> [String: Value]? = { _ in nil }
    ) -> Bool {
        guard let k = numbered(kind, subject, scope: scope), let v = active[k] else { return false }
        return clear(k, at: t, position: position, details: end(v))
    }

    /// The active violation with this id.
    public func violation(id: String) -> Violation? { idsByKey[id].flatMap { active[$0] } }

    /// Who acknowledged the active alarm with this id, if anyone has.
    public func acknowledgement(id: String) -> Acknowledgement? { idsByKey[id].flatMap { acknowledgements[$0] } }

    /// Records an acknowledgement; event kinds (SOS, access denied…) end with it.
    public mutating func acknowledge(id: String, by: String, at t: Instant) -> Violation? {
        guard let key = idsByKey[id], let v = active[key] else { return nil }
        acknowledgements[key] = Acknowledgement(by: by, at: t)
        // A zone crossed between two fixes is an event too: it ends when someone has seen it.
        if v.kind.endsOnAcknowledgement || v.scope.hasPrefix("crossing:") {
            clear(key, at: t, details: v.details.merging(["acknowledged_by": .string(by)]) { _, new in new })
        }
        return v
    }

    /// Puts back a condition that was raised before a restart, without publishing it again.
    public mutating func restore(_ v: Violation, acknowledgement: Acknowledgement? = nil) {
        let k: Key
        if let up = key(of: v) {
            k = up
            if let old = active[up], old.id != v.id { idsByKey[old.id] = nil }
        } else {
            k = retainKey(of: v)
            counted(k.kind, 1)
        }
        active[k] = v
        idsByKey[v.id] = k
        if let acknowledgement { acknowledgements[k] = acknowledgement }
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
    public func active(kind: ViolationKind, subject: Subject) -> [Violation] {
        guard hasActive(kind), let s = subjects.number(of: subject) else { return [] }
        return active.filter { $0.key.kind == kind && $0.key.names >> 32 == UInt64(s) }.map(\.value)
    }

    /// A stable id: the same condition raised at the same instant gets the same id in every
    /// replay, so outputs are comparable byte for byte.
    static func makeID(_ v: Violation, at t: Instant, taken: [String: Key]) -> String {
        StableID.violation(kind: v.kind.rawValue, subjectKind: v.subject.kind, subjectID: v.subject.id, scope: v.scope, at: t)
            .unique(prefix: "V-") { taken[$0] != nil }
    }
}
