/// Who is in each zone now, per floor (people only: vehicles are not headcount).
///
/// Headcount, overcrowding, understaffing, lone work and crowding all read it; the engine
/// alone changes it, as stays begin and end.
struct ZoneOccupancy {
    /// A zone on one floor.
    struct Area: Hashable {
        var zone: Int
        var level: Int
    }

    private(set) var occupants: [Area: Set<String>] = [:]
    /// Zone → number of people on all floors, kept alongside so counts cost nothing.
    private var totals: [Int: Int] = [:]

    mutating func add(_ person: String, zone: Int, level: Int) {
        if occupants[Area(zone: zone, level: level), default: []].insert(person).inserted {
            totals[zone, default: 0] += 1
        }
    }

    mutating func remove(_ person: String, zone: Int, level: Int) {
        let area = Area(zone: zone, level: level)
        guard occupants[area]?.remove(person) != nil else { return }
        if occupants[area]?.isEmpty == true { occupants[area] = nil }
        totals[zone, default: 1] -= 1
        if totals[zone] == 0 { totals[zone] = nil }
    }

    /// People in the zone on every floor.
    func count(zone: Int) -> Int { totals[zone] ?? 0 }

    /// People in the zone on one floor.
    func people(zone: Int, level: Int) -> Set<String> { occupants[Area(zone: zone, level: level)] ?? [] }

    /// People in the zone on every floor, sorted.
    func people(zone: Int) -> [String] {
        guard totals[zone] != nil else { return [] }
        return occupants.filter { $0.key.zone == zone }.flatMap(\.value).sorted()
    }

    /// Zones with anyone in them.
    var occupiedZones: [Int] { totals.keys.sorted() }

    mutating func removeAll() {
        occupants = [:]
        totals = [:]
    }
}
