/// Who and what is on site now, by gate record (在园人员/车辆台账).
///
/// An entry is made by a passage in that lets the subject through and taken out by a passage
/// out; nothing else changes it. Positions never add or remove anyone: they are reconciled
/// with the ledger by ``PresenceRule`` (untracked, no-entry-record), which is how a park
/// learns that its gate record and the people on the ground disagree.
public struct PresenceLedger: Sendable {
    public private(set) var entries: [SubjectKey: PresenceEntry] = [:]

    public init() {}

    public subscript(key: SubjectKey) -> PresenceEntry? { entries[key] }

    public func contains(_ key: SubjectKey) -> Bool { entries[key] != nil }

    public var count: Int { entries.count }

    /// Records an entry (replacing a previous record of the same subject).
    public mutating func enter(_ e: PresenceEntry) { entries[e.subject] = e }

    /// Takes a subject off site; returns its record.
    @discardableResult
    public mutating func leave(_ key: SubjectKey) -> PresenceEntry? { entries.removeValue(forKey: key) }

    /// Every record, ordered by subject (kind, then id): the same ledger always lists alike.
    public var sorted: [PresenceEntry] { entries.values.sorted { $0.subject < $1.subject } }
}

/// One subject on site by the gate record.
public struct PresenceEntry: Sendable, Equatable, Codable {
    public var subject: SubjectKey
    /// Event time of the entry passage.
    public var since: Instant
    public var gate: String
    /// The positioning tag issued at entry, or the subject's own tag when it showed it.
    public var tag: String?
    /// True when `tag` was issued for the visit and must be handed back at exit.
    public var tagIssued: Bool
    /// The booking the entry used.
    public var booking: String?
    /// The enterprise it counts under: the registry's, else the booking's destination.
    public var enterprise: String?
    /// The access decision that recorded the entry.
    public var decision: String

    public init(
        subject: SubjectKey, since: Instant, gate: String, tag: String? = nil, tagIssued: Bool = false,
        booking: String? = nil, enterprise: String? = nil, decision: String = ""
    ) {
        self.subject = subject
        self.since = since
        self.gate = gate
        self.tag = tag
        self.tagIssued = tagIssued
        self.booking = booking
        self.enterprise = enterprise
        self.decision = decision
    }
}

extension SubjectKey: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = SubjectKey(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a subject key (person:…, vehicle:…, tag:…)"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Reads `person:P1`, `vehicle:鲁E12345` or `tag:T1` (the ``description`` form).
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let id = String(text[text.index(after: colon)...])
        switch text[..<colon] {
        case "person": self = .person(id)
        case "vehicle": self = .vehicle(id)
        case "tag": self = .tag(id)
        default: return nil
        }
    }
}
