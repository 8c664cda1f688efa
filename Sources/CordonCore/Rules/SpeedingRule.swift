/// `speeding`: a vehicle above the applicable limit for the site's `speeding_min_s`.
///
/// The limit is the lowest of the zones the vehicle is in, the route it is on, and the site's
/// `speed_limit_kmh`. As in Traccar: raised at the first fix at which the speed has been over
/// the limit for the minimum duration (counted from the first fix over it), cleared at the
/// first fix at or under the limit, with the episode's highest speed.
enum SpeedingRule {
    static func observe(
        _ key: SubjectKey, track: inout VehicleTrack, limit: Double?, at t: Instant, position: Violation.Position,
        context c: inout RuleContext
    ) {
        guard let limit, track.speedKmh > limit else {
            track.overSince = nil
            if let k = c.alarms.key(.speeding, .init(key)), let v = c.alarms.active[k] {
                var d = v.details
                d["max_speed_kmh"] = .number(track.maxSpeedKmh.rounded(toPlaces: 1))
                d["speed_kmh"] = .number(track.speedKmh.rounded(toPlaces: 1))
                c.alarms.clear(k, at: t, position: position, details: d)
            }
            track.maxSpeedKmh = 0
            return
        }
        if track.overSince == nil {
            track.overSince = t
            track.maxSpeedKmh = 0
        }
        track.maxSpeedKmh = max(track.maxSpeedKmh, track.speedKmh)
        guard let since = track.overSince, t.seconds(since: since) >= c.site.settings.speedingMinS else { return }
        c.raise(.speeding, subject: key, scope: "", at: t, zone: nil, position: position,
                details: ["speed_kmh": .number(track.speedKmh.rounded(toPlaces: 1)), "limit_kmh": .number(limit),
                          "over_since": .time(since), "speed_derived": .bool(track.speedDerived)])
    }
}
