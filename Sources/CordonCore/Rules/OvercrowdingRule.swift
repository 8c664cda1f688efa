/// `overcrowding`: more people in a zone than its `max_people`.
///
/// Counted per floor: a zone without a `level` that spans a building has its limit on each
/// floor; a zone with a `level` only ever counts that floor. Raised at the entry that takes
/// the count over the limit, cleared at the exit that brings it back to the limit.
struct OvercrowdingRule {
    /// The occupancy key: a zone on one floor.
    struct Area: Hashable {
        var zone: Int
        var level: Int
    }

    /// Who is in each zone on each floor now (people only).
    private(set) var occupants: [Area: Set<String>] = [:]

    func count(zone: Int) -> Int {
        occupants.reduce(0) { $0 + ($1.key.zone == zone ? $1.value.count : 0) }
    }

    func people(zone: Int) -> [String] {
        occupants.filter { $0.key.zone == zone }.flatMap(\.value).sorted()
    }

    static func scope(_ zone: Zone, level: Int) -> String {
        zone.level == nil && level != 0 ? "\(zone.id)@\(level)" : zone.id
    }

    mutating func entered(_ subject: SubjectKey, stay: SubjectState.Stay, zone: Zone, at t: Instant, context c: inout RuleContext) {
        guard case .person(let id) = subject else { return }
        let area = Area(zone: stay.zone, level: stay.level)
        occupants[area, default: []].insert(id)
        guard let max = zone.maxPeople, let people = occupants[area], people.count > max else { return }
        c.raise(.overcrowding, subject: .zone(zone), scope: Self.scope(zone, level: stay.level), at: t, zone: zone,
                position: nil, details: details(people: people, max: max, level: stay.level))
    }

    mutating func exited(_ subject: SubjectKey, stay: SubjectState.Stay, zone: Zone, at t: Instant, context c: inout RuleContext) {
        guard case .person(let id) = subject else { return }
        let area = Area(zone: stay.zone, level: stay.level)
        occupants[area]?.remove(id)
        let people = occupants[area] ?? []
        if people.isEmpty { occupants[area] = nil }
        guard let max = zone.maxPeople, people.count <= max else { return }
        c.alarms.clear(.init(kind: .overcrowding, subject: "zone:\(zone.id)", scope: Self.scope(zone, level: stay.level)),
                       at: t, details: details(people: people, max: max, level: stay.level))
    }

    /// Starts over (after a site reload or a restore): occupancy is rebuilt from the stays.
    mutating func reset() { occupants = [:] }

    /// Adds a stay without raising anything (restore after restart).
    mutating func restore(_ id: String, stay: SubjectState.Stay) {
        occupants[Area(zone: stay.zone, level: stay.level), default: []].insert(id)
    }

    private func details(people: Set<String>, max: Int, level: Int) -> [String: Value] {
        ["count": .int(people.count), "max_people": .int(max), "level": .int(level),
         "people": .array(people.sorted().prefix(100).map(Value.string))]
    }
}
