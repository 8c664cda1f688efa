/// `understaffed`: fewer people in a staffed zone than its `min_people` during its hours
/// (a control room that must never be left empty on shift).
///
/// The count is over all floors of the zone. Below the minimum for the site's
/// `understaffed_after_s`, it is raised by the clock; it clears when enough people are back or
/// the staffed hours end. Without `staffed` hours the zone is staffed around the clock.
struct UnderstaffedRule {
    /// Staffed zones below their minimum, since when.
    private(set) var below: [Int: Instant] = [:]

    /// Puts back a zone below its minimum since `since` (after a restart).
    mutating func restore(zone: Int, since: Instant) { below[zone] = since }

    /// Minutes after local midnight.
    static func minuteOfDay(_ t: Instant, offset: Int) -> Int {
        let local = t.milliseconds / 1000 + Int64(offset)
        let m = local / 60 % 1440
        return Int(m < 0 ? m + 1440 : m)
    }

    static func isStaffed(_ zone: Zone, at t: Instant, offset: Int) -> Bool {
        guard zone.minPeople != nil else { return false }
        guard let h = zone.staffed else { return true }
        if h.fromMinute == h.untilMinute || (h.fromMinute == 0 && h.untilMinute == 1440) { return true }
        let m = minuteOfDay(t, offset: offset)
        return h.fromMinute < h.untilMinute ? (m >= h.fromMinute && m < h.untilMinute) : (m >= h.fromMinute || m < h.untilMinute)
    }

    /// The next start or end of the zone's staffed hours after `t`.
    static func nextBoundary(_ zone: Zone, after t: Instant, offset: Int) -> Instant? {
        guard let h = zone.staffed, !(h.fromMinute == 0 && h.untilMinute == 1440), h.fromMinute != h.untilMinute else { return nil }
        let m = minuteOfDay(t, offset: offset)
        let startOfMinute = t.milliseconds - t.milliseconds % 60_000
        let candidates = [h.fromMinute % 1440, h.untilMinute % 1440].map { b -> Int in (b - m + 1440) % 1440 == 0 ? 1440 : (b - m + 1440) % 1440 }
        guard let delta = candidates.min() else { return nil }
        return Instant(milliseconds: startOfMinute + Int64(delta) * 60_000)
    }

    /// Re-reads the zone at `t`; returns when to check again if it just fell below.
    mutating func evaluate(zone: Zone, occupancy: ZoneOccupancy, at t: Instant, offset: Int, settings: SiteSettings,
                           context c: inout RuleContext) -> Instant? {
        guard let min = zone.minPeople else { return nil }
        let count = occupancy.count(zone: zone.index)
        if Self.isStaffed(zone, at: t, offset: offset) && count < min {
            guard below[zone.index] == nil else { return nil }
            below[zone.index] = t
            return t.adding(seconds: settings.understaffedAfterS)
        }
        if below.removeValue(forKey: zone.index) != nil {
            c.alarms.clear(.understaffed, .zone(zone.id), scope: zone.id, at: t) { _ in
                ["count": .int(count), "min_people": .int(min)]
            }
        }
        return nil
    }

    /// The clock reached a check for the zone.
    func check(zone: Zone, occupancy: ZoneOccupancy, at t: Instant, settings: SiteSettings, context c: inout RuleContext) {
        guard let min = zone.minPeople, let since = below[zone.index], t.seconds(since: since) >= settings.understaffedAfterS else { return }
        c.raise(.understaffed, subject: .zone(zone), scope: zone.id, at: t, zone: zone, position: nil,
                details: ["count": .int(occupancy.count(zone: zone.index)), "min_people": .int(min),
                          "below_since": .time(since), "people": .array(occupancy.people(zone: zone.index).map(Value.string))])
    }

    /// Follows zones to their new positions after a site reload; zones that are gone are dropped.
    mutating func remap(_ moved: [Int: Int]) {
        below = Dictionary(uniqueKeysWithValues: below.compactMap { k, v in moved[k].map { ($0, v) } })
    }
}
