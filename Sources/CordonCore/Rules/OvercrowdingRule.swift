/// `overcrowding`: more people in a zone than its `max_people`.
///
/// Counted per floor: a zone without a `level` that spans a building has its limit on each
/// floor; a zone with a `level` only ever counts that floor. Raised at the entry that takes
/// the count over the limit, cleared at the exit that brings it back to the limit.
enum OvercrowdingRule {
    static func scope(_ zone: Zone, level: Int) -> String {
        zone.level == nil && level != 0 ? "\(zone.id)@\(level)" : zone.id
    }

    /// After someone entered `zone` on `level`.
    static func entered(zone: Zone, level: Int, occupancy: ZoneOccupancy, at t: Instant, context c: inout RuleContext) {
        guard let max = zone.maxPeople else { return }
        let people = occupancy.people(zone: zone.index, level: level)
        guard people.count > max else { return }
        c.raise(.overcrowding, subject: .zone(zone), scope: scope(zone, level: level), at: t, zone: zone,
                position: nil, details: details(people: people, max: max, level: level))
    }

    /// After someone left `zone` on `level`.
    static func exited(zone: Zone, level: Int, occupancy: ZoneOccupancy, at t: Instant, context c: inout RuleContext) {
        guard let max = zone.maxPeople else { return }
        let people = occupancy.people(zone: zone.index, level: level)
        guard people.count <= max else { return }
        guard c.alarms.hasActive(.overcrowding) else { return }
        c.alarms.clear(.overcrowding, .zone(zone.id), scope: scope(zone, level: level), at: t) { _ in
            details(people: people, max: max, level: level)
        }
    }

    private static func details(people: Set<String>, max: Int, level: Int) -> [String: Value] {
        ["count": .int(people.count), "max_people": .int(max), "level": .int(level),
         "people": .array(people.sorted().prefix(100).map(Value.string))]
    }
}
