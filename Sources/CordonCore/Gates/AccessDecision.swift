/// The answer to one gate passage: granted or denied, with the reasons. Published on
/// `access.<gate>` (docs/protocol.md, "Published events") and recorded, for every passage.
public struct AccessDecision: Sendable, Equatable {
    /// Unique and stable: the same passage replayed gets the same id.
    public var id: String
    public var gate: String
    public var direction: GatePassage.Direction
    public var time: Instant
    /// Who passed: a registered person or vehicle, or what the credential named.
    public var subject: Violation.Subject
    /// The credential as presented.
    public var credential: GatePassage.Credential
    public var granted: Bool
    public var reasons: [AccessReason]
    /// What the physical gate did, when it decided by itself.
    public var gateGranted: Bool?
    /// People the gate counted through.
    public var count: Int?
    public var plateColor: String?
    /// The booking the entry used.
    public var booking: String?
    /// The tag issued (in) or handed back (out).
    public var tag: String?

    public init(
        id: String, gate: String, direction: GatePassage.Direction, time: Instant, subject: Violation.Subject,
        credential: GatePassage.Credential, granted: Bool, reasons: [AccessReason], gateGranted: Bool? = nil,
        count: Int? = nil, plateColor: String? = nil, booking: String? = nil, tag: String? = nil
    ) {
        self.id = id
        self.gate = gate
        self.direction = direction
        self.time = time
        self.subject = subject
        self.credential = credential
        self.granted = granted
        self.reasons = reasons
        self.gateGranted = gateGranted
        self.count = count
        self.plateColor = plateColor
        self.booking = booking
        self.tag = tag
    }

    /// The decision's word on the wire.
    public var word: String { granted ? "granted" : "denied" }

    /// `access.<gate>`.
    public var topic: String { "access." + gate }

    /// The published body (docs/protocol.md, "Published events"), with `id` and `site` as every body has.
    public func body(site: String) -> Value {
        var o: [String: Value] = [
            "id": .string(id), "site": .string(site), "gate": .string(gate), "direction": .string(direction.rawValue),
            "t": .time(time), "decision": .string(word), "reasons": .array(reasons.map(\.value)),
            "subject": .compact([
                "kind": .string(subject.kind), "id": .string(subject.id), "name": .optional(subject.name),
                "tag": .optional(subject.tag), "enterprise": .optional(subject.enterprise),
            ]),
            "credential": credential.value,
        ]
        if let gateGranted { o["gate_granted"] = .bool(gateGranted) }
        if let count { o["count"] = .int(count) }
        if let plateColor { o["plate_color"] = .string(plateColor) }
        if let booking { o["booking"] = .string(booking) }
        if let tag { o["tag"] = .string(tag) }
        return .object(o)
    }
}

/// What one gate passage changed that must be durable before its decision is published:
/// the decision itself, the presence ledger, and the booking it used.
///
/// The engine keeps these only when asked to (``Engine/keepsGateRecords``); the service's
/// pipeline takes them after each gate message and commits them in the same transaction as
/// the violations of that message.
public struct GateRecord: Sendable, Equatable {
    /// How the ledger changed.
    public enum PresenceChange: Sendable, Equatable {
        /// Now on site with this record (new, or an updated record of one already inside).
        case entered(PresenceEntry)
        /// No longer on site.
        case left(SubjectKey)
    }

    /// The decision, published as ``Output/access(_:)`` in the same result; its stored body is
    /// the published one.
    public var decision: AccessDecision
    public var presence: PresenceChange?
    /// The booking as it stands after the passage (used by it).
    public var booking: Booking?

    public init(decision: AccessDecision, presence: PresenceChange? = nil, booking: Booking? = nil) {
        self.decision = decision
        self.presence = presence
        self.booking = booking
    }
}

extension GatePassage.Credential {
    /// `{"person":…}`, `{"card":…}` or `{"plate":…}`, as presented.
    public var value: Value {
        switch self {
        case .person(let id): return ["person": .string(id)]
        case .card(let c): return ["card": .string(c)]
        case .plate(let p): return ["plate": .string(p)]
        }
    }
}
