/// `restricted-zone`: a person inside a zone whose `access` does not admit them.
///
/// A `forbidden` zone admits no one. A `permit` zone admits a person who holds one of its
/// `requires` qualifications (not expired), has one of its `roles`, or is covered by a valid
/// work permit for that zone. The violation is raised at the entry position and cleared at the
/// exit position; red zones make it critical.
struct RestrictedZoneRule {
    /// Why a person may or may not be in a zone.
    struct Verdict {
        var allowed: Bool
        var reason: String
        /// When an allowance by qualification runs out (the engine re-checks then).
        var validUntil: Instant?
    }

    static func verdict(for person: Person?, in zone: Zone, at t: Instant, site: Site, hasPermit: Bool) -> Verdict {
        switch zone.access {
        case .open:
            return Verdict(allowed: true, reason: "open")
        case .forbidden:
            return Verdict(allowed: false, reason: "the zone is closed to everyone")
        case .permit:
            if hasPermit { return Verdict(allowed: true, reason: "work permit") }
            guard let person else { return Verdict(allowed: false, reason: "not in the registry") }
            if let role = person.role, zone.roles.contains(role) { return Verdict(allowed: true, reason: "role \(role)") }
            let offset = site.utcOffset(at: t)
            let held = person.qualifications.filter {
                zone.requires.contains($0.name) && ($0.expires?.isValid(at: t, utcOffsetSeconds: offset) ?? true)
            }
            if let q = held.first {
                // The latest expiry of the qualifications that admit: until then the person may stay.
                let ends = held.map { $0.expires?.end(utcOffsetSeconds: offset) }
                let until: Instant? = ends.contains { $0 == nil } ? nil : ends.compactMap { $0 }.max()
                return Verdict(allowed: true, reason: "qualification \(q.name)", validUntil: until)
            }
            var missing: [String] = []
            if !zone.requires.isEmpty {
                let expired = zone.requires.filter { r in person.qualifications.contains { $0.name == r } }
                missing.append(expired.isEmpty
                    ? "no qualification " + zone.requires.joined(separator: " or ")
                    : "qualification " + expired.joined(separator: ", ") + " expired")
            }
            if !zone.roles.isEmpty { missing.append("role \(person.role ?? "none") is not " + zone.roles.joined(separator: " or ")) }
            missing.append("no valid work permit for the zone")
            return Verdict(allowed: false, reason: missing.joined(separator: "; "))
        }
    }

    /// Called when a person enters a zone, or when their right to be there may have changed
    /// while inside (a permit closed or ran out, a qualification expired). Returns the verdict.
    @discardableResult
    static func evaluate(
        _ subject: SubjectKey, stay: SubjectState.Stay, zone: Zone, at t: Instant, position: Violation.Position,
        context c: inout RuleContext, hasPermit: Bool
    ) -> Verdict? {
        guard case .person(let id) = subject, zone.access != .open else { return nil }
        let person = c.registry.people[id]
        let v = verdict(for: person, in: zone, at: t, site: c.site, hasPermit: hasPermit)
        if v.allowed {
            c.alarms.clear(.restrictedZone, .init(subject), scope: zone.id, at: t, position: position) {
                $0.details.merging(["ended": .string(v.reason)]) { _, new in new }
            }
            return v
        }
        var details: [String: Value] = [
            "access": .string(zone.access.rawValue), "reason": .string(v.reason),
            "entered_at": .time(stay.since),
        ]
        if !zone.requires.isEmpty { details["requires"] = .array(zone.requires.map(Value.string)) }
        if !zone.roles.isEmpty { details["roles"] = .array(zone.roles.map(Value.string)) }
        if let r = zone.risk { details["risk"] = .string(r.rawValue) }
        let severity = zone.risk == .red ? Severity.critical : ViolationKind.restrictedZone.defaultSeverity
        c.raise(.restrictedZone, subject: subject, scope: zone.id, at: t, zone: zone, position: position,
                details: details, severity: severity)
        return v
    }

    /// Called when a person leaves a zone.
    static func exited(_ subject: SubjectKey, zone: Zone, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        guard case .person = subject else { return }
        c.alarms.clear(.restrictedZone, .init(subject), scope: zone.id, at: t, position: position)
    }
}
