/// `overstay`: a person or vehicle in a zone longer than its `max_stay_min`.
///
/// Raised by the clock at the instant the stay reaches the limit (no new position needed),
/// cleared at the exit position.
enum OverstayRule {
    /// When a stay that began at `since` reaches the zone's limit, if it has one.
    static func due(zone: Zone, since: Instant) -> Instant? {
        zone.maxStayMin.map { since.adding(seconds: $0 * 60) }
    }

    static func reached(
        _ subject: SubjectKey, zone: Zone, since: Instant, at t: Instant, position: Violation.Position,
        context c: inout RuleContext
    ) {
        guard let limit = zone.maxStayMin else { return }
        c.raise(.overstay, subject: subject, scope: zone.id, at: t, zone: zone, position: position,
                details: ["entered_at": .time(since), "max_stay_min": .number(limit)])
    }

    static func exited(_ subject: SubjectKey, zone: Zone, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        guard zone.maxStayMin != nil else { return }
        guard let key = c.alarms.key(.overstay, .init(subject), scope: zone.id), let v = c.alarms.active[key] else { return }
        var d = v.details
        if let since = d["entered_at"]?.stringValue.flatMap(RFC3339.parse) {
            d["stay_min"] = .number((t.seconds(since: since) / 60).rounded(toPlaces: 1))
        }
        c.alarms.clear(key, at: t, position: position, details: d)
    }
}
