/// A vehicle the park knows, keyed by its normalised plate.
public struct Vehicle: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case hazmat, general, staff
    }

    public var plate: String
    public var kind: Kind
    public var enterprise: String?
    /// The GNSS terminal's id, when it reports by tag rather than by plate.
    public var tag: String?
    public var blacklisted: Bool

    public init(plate: String, kind: Kind, enterprise: String? = nil, tag: String? = nil, blacklisted: Bool = false) {
        self.plate = plate
        self.kind = kind
        self.enterprise = enterprise
        self.tag = tag
        self.blacklisted = blacklisted
    }
}
