/// `parking-full`: a parking lot holding more vehicles than its `capacity`.
///
/// Occupancy comes from positions: a vehicle is in a lot while its fixes are inside it.
struct ParkingRule {
    /// Lot id → vehicles (plates) in it, and since when.
    private(set) var occupants: [String: [String: Instant]] = [:]

    /// Puts back a vehicle in a lot since `since` (after a restart).
    mutating func restore(_ plate: String, in lot: String, since: Instant) { occupants[lot, default: [:]][plate] = since }

    /// Moves a vehicle into `lot` (or out of every lot when nil) at `t`.
    mutating func place(_ plate: String, in lot: String?, previous: String?, at t: Instant, context c: inout RuleContext) {
        guard lot != previous else { return }
        if let previous {
            occupants[previous]?[plate] = nil
            if let l = c.site.parking[previous], let cap = l.capacity, (occupants[previous]?.count ?? 0) <= cap {
                c.alarms.clear(.parkingFull, .zone(previous), scope: previous, at: t) { _ in details(previous, capacity: cap) }
            }
        }
        if let lot {
            occupants[lot, default: [:]][plate] = t
            if let l = c.site.parking[lot], let cap = l.capacity, (occupants[lot]?.count ?? 0) > cap {
                c.raise(.parkingFull, subject: .area(id: l.id, name: l.name), scope: lot, at: t, zone: nil, position: nil,
                        details: details(lot, capacity: cap))
            }
        }
    }

    private func details(_ lot: String, capacity: Int) -> [String: Value] {
        let v = occupants[lot] ?? [:]
        return ["count": .int(v.count), "capacity": .int(capacity), "vehicles": .array(v.keys.sorted().map(Value.string))]
    }
}
