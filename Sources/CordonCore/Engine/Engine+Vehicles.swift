import Geometry

/// The vehicle rules' side of the engine: speed, stops, closed zones, parking.
extension Engine {
    /// After every accepted vehicle fix.
    func afterVehicleFix(slot: Int, report r: PositionReport, inside change: ZoneMembership.Change) {
        guard case .vehicle(let plate) = states[slot].key else { return }
        let key = states[slot].key
        let t = r.time
        let p = states[slot].point
        let pos = context.position(p, level: states[slot].level)
        var track = vehicleTracks[slot] ?? VehicleTrack()
        let previous = track.lastFix.flatMap { fix in track.lastFixTime.map { (fix, $0) } }
        track.fix(at: p, time: t, reportedKmh: r.speedKmh)
        if track.onSiteSince == nil && states[slot].insideFence { track.onSiteSince = t }
        let vehicle = registry.vehicles[plate]

        // A straight line between fixes only means something when they are close in time
        // (terminals report every 10–30 s); across a long gap the truck could have gone anywhere.
        if let (from, fromTime) = previous, from != p, t.seconds(since: fromTime) <= Self.maxPathGapS {
            ForbiddenAreaRule.path(key, vehicle: vehicle, from: from, fromTime: fromTime, to: p, at: t,
                                   insideNow: states[slot].stays.map(\.zone), position: pos, context: &context)
        }
        SpeedingRule.observe(key, track: &track, limit: speedLimit(at: p, stays: states[slot].stays, route: plannedRoute(plate)),
                             at: t, position: pos, context: &context)
        if track.speedKmh < site.settings.stopSpeedKmh {
            if track.slowSince == nil { track.slowSince = t }
            if !track.stopTimerSet, let since = track.slowSince {
                track.stopTimerSet = true
                timers.schedule(.vehicleStop(slot: slot, since: since), at: since.adding(seconds: site.settings.stopAfterS))
            }
        } else {
            track.slowSince = nil
            IllegalStopRule.moved(key, at: t, position: pos, context: &context)
        }
        journeyFix(slot: slot, plate: plate, track: &track, at: t)
        let lot = site.parking.values.sorted { $0.id < $1.id }.first { $0.shape.covers(p) }?.id
        if lot != track.lot {
            parkingLots.place(plate, in: lot, previous: track.lot, at: t, context: &context)
            track.lot = lot
            track.lotSince = lot == nil ? nil : t
        }
        vehicleTracks[slot] = track
    }

    /// The longest gap between two fixes whose straight path is tested against closed zones.
    static let maxPathGapS = 120.0

    /// The lowest of the limits that apply at `p`: the zones the vehicle is in, the route it
    /// is on (its planned route, else any route whose corridor it is in), and the site's.
    func speedLimit(at p: LocalPoint, stays: [SubjectState.Stay], route: Route?) -> Double? {
        var limits = stays.compactMap { site.zones[$0.zone].speedLimitKmh }
        if let route, let l = route.speedLimitKmh, route.corridor.covers(p) {
            limits.append(l)
        } else if route == nil {
            limits += site.routes.values.filter { $0.corridor.covers(p) }.compactMap(\.speedLimitKmh)
        }
        if let l = site.settings.speedLimitKmh { limits.append(l) }
        return limits.min()
    }


    /// A stop timer fell due.
    func vehicleStopDue(slot: Int, since: Instant, at t: Instant) {
        guard var track = vehicleTracks[slot], case .vehicle(let plate) = states[slot].key else { return }
        track.stopTimerSet = false
        defer { vehicleTracks[slot] = track }
        guard let current = track.slowSince else { return }
        let due = current.adding(seconds: site.settings.stopAfterS)
        if due > t {
            track.stopTimerSet = true
            timers.schedule(.vehicleStop(slot: slot, since: current), at: due)
            return
        }
        let p = states[slot].point
        guard !IllegalStopRule.isAllowed(at: p, destination: destination(plate), site: site) else { return }
        IllegalStopRule.stopped(states[slot].key, since: current, at: t, position: context.position(p, level: states[slot].level),
                                destination: destination(plate), context: &context)
    }
}
