import Geometry

/// `illegal-stop`: a vehicle slower than the site's `stop_speed_kmh` for `stop_after_s`
/// anywhere but a parking lot or its destination (the booking's, else its own enterprise).
///
/// Hazmat trucks must not wait on park roads. Raised by the clock when the stop has lasted
/// long enough, at the stop's position; cleared at the first fix at which it moves again.
enum IllegalStopRule {
    /// Where a vehicle may stand as long as it likes.
    static func isAllowed(at p: LocalPoint, destination: String?, site: Site) -> Bool {
        if site.parking.values.contains(where: { $0.shape.covers(p) }) { return true }
        if let d = destination, let e = site.enterprises[d], e.shape.covers(p) { return true }
        return !site.fence.covers(p)
    }

    static func stopped(_ key: SubjectKey, since: Instant, at t: Instant, position: Violation.Position, destination: String?,
                        context c: inout RuleContext) {
        c.raise(.illegalStop, subject: key, scope: "", at: t, zone: nil, position: position,
                details: .compactMembers(["stopped_since": .time(since), "stop_after_s": .number(c.site.settings.stopAfterS),
                                          "destination": .optional(destination)]))
    }

    static func moved(_ key: SubjectKey, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        guard let k = c.alarms.key(.illegalStop, .init(key)), let v = c.alarms.active[k] else { return }
        var d = v.details
        if let since = d["stopped_since"]?.stringValue.flatMap(RFC3339.parse) {
            d["duration_s"] = .number(t.seconds(since: since))
        }
        c.alarms.clear(k, at: t, position: position, details: d)
    }
}
