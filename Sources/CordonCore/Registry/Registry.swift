/// Everyone and everything the park knows, with the look-ups the engine needs on every
/// message (tag → subject, card → person). A value: the engine owns one.
public struct Registry: Sendable, Equatable {
    public private(set) var people: [String: Person] = [:]
    public private(set) var vehicles: [String: Vehicle] = [:]
    private var tagOwners: [String: SubjectKey] = [:]
    private var cardOwners: [String: String] = [:]
    /// Reference tags by id, and their tags to ids.
    public private(set) var references: [String: ReferenceTag] = [:]
    private var referenceTags: [String: String] = [:]

    public init() {}

    /// Adds or replaces a person (by id), re-pointing their tag and card.
    public mutating func upsert(_ person: Person) {
        if let old = people[person.id] {
            if let t = old.tag, tagOwners[t] == .person(old.id) { tagOwners[t] = nil }
            if let c = old.card, cardOwners[c] == old.id { cardOwners[c] = nil }
        }
        people[person.id] = person
        if let t = person.tag { tagOwners[t] = .person(person.id) }
        if let c = person.card { cardOwners[c] = person.id }
    }

    /// Adds or replaces a vehicle (by normalised plate).
    public mutating func upsert(_ vehicle: Vehicle) {
        var v = vehicle
        v.plate = PlateNumber.normalize(vehicle.plate)
        if let old = vehicles[v.plate], let t = old.tag, tagOwners[t] == .vehicle(old.plate) {
            tagOwners[t] = nil
        }
        vehicles[v.plate] = v
        if let t = v.tag { tagOwners[t] = .vehicle(v.plate) }
    }

    /// Removes a person; returns whether they were there.
    @discardableResult
    public mutating func removePerson(_ id: String) -> Bool {
        guard let old = people.removeValue(forKey: id) else { return false }
        if let t = old.tag, tagOwners[t] == .person(id) { tagOwners[t] = nil }
        if let c = old.card, cardOwners[c] == id { cardOwners[c] = nil }
        return true
    }

    /// Removes a vehicle; returns whether it was there.
    @discardableResult
    public mutating func removeVehicle(_ plate: String) -> Bool {
        let p = PlateNumber.normalize(plate)
        guard let old = vehicles.removeValue(forKey: p) else { return false }
        if let t = old.tag, tagOwners[t] == .vehicle(p) { tagOwners[t] = nil }
        return true
    }

    /// Adds or replaces a reference tag (by id).
    public mutating func upsert(_ r: ReferenceTag) {
        if let old = references[r.id], referenceTags[old.tag] == old.id { referenceTags[old.tag] = nil }
        references[r.id] = r
        referenceTags[r.tag] = r.id
    }

    /// Removes a reference tag; returns whether it was there.
    @discardableResult
    public mutating func removeReference(_ id: String) -> Bool {
        guard let old = references.removeValue(forKey: id) else { return false }
        if referenceTags[old.tag] == id { referenceTags[old.tag] = nil }
        return true
    }

    /// The reference tag that reports as `tag`, if any.
    @inline(__always)
    public func reference(ofTag tag: String) -> ReferenceTag? {
        guard !referenceTags.isEmpty, let id = referenceTags[tag] else { return nil }
        return references[id]
    }

    /// Who wears or carries `tag`, or nil when the registry does not know it.
    public func owner(ofTag tag: String) -> SubjectKey? { tagOwners[tag] }

    /// The person holding `card`.
    public func person(withCard card: String) -> Person? { cardOwners[card].flatMap { people[$0] } }

    public func vehicle(plate: String) -> Vehicle? { vehicles[PlateNumber.normalize(plate)] }

    /// Issues a visitor tag for the length of a stay (gate entry) without changing the record.
    public mutating func assign(tag: String, to subject: SubjectKey) { tagOwners[tag] = subject }

    /// Takes a temporarily issued tag back.
    public mutating func release(tag: String, from subject: SubjectKey) {
        if tagOwners[tag] == subject { tagOwners[tag] = nil }
    }

    public var count: (people: Int, vehicles: Int) { (people.count, vehicles.count) }
}
