import Geometry

/// `route-deviation`: a vehicle on a booking outside its route's corridor (the route line
/// buffered by half its `width_m`) for the route's `deviation_after_s`.
///
/// Counted from the first fix outside; raised at the first fix at which that long has passed,
/// with the distance off the route; cleared at the first fix back inside. Inside its destination
/// enterprise, in a parking lot, or outside the fence the truck is where it should be, not off
/// its route.
enum RouteDeviationRule {
    static func observe(
        _ key: SubjectKey, track: inout VehicleTrack, route: Route, at p: LocalPoint, time t: Instant, exempt: Bool,
        position: Violation.Position, context c: inout RuleContext
    ) {
        if exempt || route.corridor.covers(p) {
            track.offRouteSince = nil
            if let k = c.alarms.key(.routeDeviation, .init(key), scope: route.id), let v = c.alarms.active[k] {
                c.alarms.clear(k, at: t, position: position,
                               details: v.details.merging(["back_at": .time(t)]) { _, n in n })
            }
            return
        }
        if track.offRouteSince == nil { track.offRouteSince = t }
        guard let since = track.offRouteSince, t.seconds(since: since) >= route.deviationAfterS else { return }
        let off = max(0, route.line.distance(to: p) - route.widthM / 2)
        c.raise(.routeDeviation, subject: key, scope: route.id, at: t, zone: nil, position: position,
                details: ["route": .string(route.id), "distance_off_m": .number(off.rounded(toPlaces: 1)),
                          "width_m": .number(route.widthM), "outside_since": .time(since),
                          "deviation_after_s": .number(route.deviationAfterS)])
    }
}
