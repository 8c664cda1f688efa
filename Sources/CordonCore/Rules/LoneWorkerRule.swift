/// `lone-worker` in a `two_person` zone: one person alone there for longer than the site's
/// `lone_worker_grace_s` (work in a tank farm or a confined space is never done alone).
///
/// The alone time starts when the count in the zone (all floors) becomes one; it is raised by
/// the clock when the grace has passed, for that person, and cleared when someone joins them
/// or they leave.
struct LoneWorkerRule {
    struct Alone: Equatable {
        var person: String
        var since: Instant
    }

    /// Two-person zones with exactly one person in them, by zone index.
    private(set) var alone: [Int: Alone] = [:]

    /// Puts back a person alone in a zone since `since` (after a restart).
    mutating func restore(zone: Int, person: String, since: Instant) { alone[zone] = Alone(person: person, since: since) }

    /// Re-reads the zone's count after a change at `t`; returns the instant to check again, if any.
    mutating func recount(zone: Zone, occupancy: ZoneOccupancy, at t: Instant, settings: SiteSettings,
                          position: (String) -> Violation.Position?, context c: inout RuleContext) -> Instant? {
        guard zone.twoPerson else { return nil }
        let people = occupancy.count(zone: zone.index) == 1 ? occupancy.people(zone: zone.index) : []
        if let person = people.first {
            if let a = alone[zone.index], a.person == person { return nil }
            end(zone: zone, at: t, position: position, context: &c)
            alone[zone.index] = Alone(person: person, since: t)
            return t.adding(seconds: settings.loneWorkerGraceS)
        }
        end(zone: zone, at: t, position: position, context: &c)
        return nil
    }

    /// The clock reached a check for `zone`.
    func check(zone: Zone, at t: Instant, settings: SiteSettings, position: (String) -> Violation.Position?, context c: inout RuleContext) {
        guard let a = alone[zone.index], t.seconds(since: a.since) >= settings.loneWorkerGraceS else { return }
        c.raise(.loneWorker, subject: SubjectKey.person(a.person), scope: zone.id, at: t, zone: zone,
                position: position(a.person),
                details: ["reason": "alone in a two-person zone", "alone_since": .time(a.since),
                          "grace_s": .number(settings.loneWorkerGraceS)])
    }

    private mutating func end(zone: Zone, at t: Instant, position: (String) -> Violation.Position?, context c: inout RuleContext) {
        guard let a = alone.removeValue(forKey: zone.index) else { return }
        c.alarms.clear(.loneWorker, .init(.person(a.person)), scope: zone.id, at: t, position: position(a.person))
    }

    /// Follows zones to their new positions after a site reload; zones that are gone are dropped.
    mutating func remap(_ moved: [Int: Int]) {
        alone = Dictionary(uniqueKeysWithValues: alone.compactMap { k, v in moved[k].map { ($0, v) } })
    }
}
