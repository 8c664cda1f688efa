/// A person the park knows: staff, contractor, driver or visitor (docs/protocol.md, "Control requests").
public struct Person: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    public var role: String?
    public var enterprise: String?
    /// The positioning tag the person wears, when they have a permanent one.
    public var tag: String?
    public var card: String?
    public var contractor: Bool
    public var inductionUntil: Expiry?
    public var blacklisted: Bool
    public var qualifications: [Qualification]

    public init(
        id: String, name: String? = nil, role: String? = nil, enterprise: String? = nil, tag: String? = nil,
        card: String? = nil, contractor: Bool = false, inductionUntil: Expiry? = nil, blacklisted: Bool = false,
        qualifications: [Qualification] = []
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.enterprise = enterprise
        self.tag = tag
        self.card = card
        self.contractor = contractor
        self.inductionUntil = inductionUntil
        self.blacklisted = blacklisted
        self.qualifications = qualifications
    }

    /// True when the person holds `name` and it has not expired at `t`.
    public func holds(_ qualification: String, at t: Instant, utcOffsetSeconds: Int) -> Bool {
        qualifications.contains {
            $0.name == qualification && ($0.expires?.isValid(at: t, utcOffsetSeconds: utcOffsetSeconds) ?? true)
        }
    }
}

/// A named qualification (hot work, confined space, …) with an optional expiry.
public struct Qualification: Hashable, Sendable, Codable {
    public var name: String
    public var expires: Expiry?

    public init(name: String, expires: Expiry? = nil) {
        self.name = name
        self.expires = expires
    }
}
