/// The identity the engine tracks: a registered person, a registered vehicle, or a tag the
/// registry does not know.
public enum SubjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    case person(String)
    case vehicle(String)
    case tag(String)

    /// `person`, `vehicle` or `tag`, as in an event's `subject.kind`.
    public var kind: String {
        switch self {
        case .person: return "person"
        case .vehicle: return "vehicle"
        case .tag: return "tag"
        }
    }

    /// The person's id, the vehicle's plate, or the tag.
    public var id: String {
        switch self {
        case .person(let s), .vehicle(let s), .tag(let s): return s
        }
    }

    public var description: String { "\(kind):\(id)" }

    public static func < (a: SubjectKey, b: SubjectKey) -> Bool {
        (a.kind, a.id) < (b.kind, b.id)
    }
}
