import Geometry

/// The personnel rules' side of the engine: what a position, an alert or the clock changes
/// for the people in the park. Each rule lives in its own file under Rules/; this file only
/// decides when each is consulted.
extension Engine {
    // MARK: positions

    /// Stays that began or ended at a position.
    func zonesChanged(slot: Int, change: ZoneMembership.Change, at t: Instant) {
        let key = states[slot].key
        let pos = context.position(states[slot].point, level: states[slot].level)
        var touched: [Int] = []
        for stay in change.exited {
            let zone = site.zones[stay.zone]
            if case .person(let id) = key { occupancy.remove(id, zone: stay.zone, level: stay.level) }
            RestrictedZoneRule.exited(key, zone: zone, at: t, position: pos, context: &context)
            OvercrowdingRule.exited(zone: zone, level: stay.level, occupancy: occupancy, at: t, context: &context)
            OverstayRule.exited(key, zone: zone, at: t, position: pos, context: &context)
            if case .vehicle = key { ForbiddenAreaRule.exited(key, zone: zone, at: t, position: pos, context: &context) }
            touched.append(stay.zone)
        }
        for stay in change.entered {
            let zone = site.zones[stay.zone]
            if case .person(let id) = key { occupancy.add(id, zone: stay.zone, level: stay.level) }
            checkAccess(slot: slot, stay: stay, at: t)
            OvercrowdingRule.entered(zone: zone, level: stay.level, occupancy: occupancy, at: t, context: &context)
            if let due = OverstayRule.due(zone: zone, since: stay.since) {
                timers.schedule(.overstay(slot: slot, zone: stay.zone, since: stay.since), at: due)
            }
            if case .vehicle(let plate) = key {
                ForbiddenAreaRule.entered(key, vehicle: registry.vehicles[plate], zone: zone, at: t, position: pos, context: &context)
            }
            touched.append(stay.zone)
        }
        if case .person = key {
            for z in touched { recountZone(z, at: t) }
        }
    }

    /// After every accepted position: silence, battery, stillness, crowds and guardians.
    /// The published position (a WGS84 conversion) is only worked out when a rule speaks.
    func afterPosition(slot: Int, report r: PositionReport) {
        let key = states[slot].key
        let t = r.time
        if context.alarms.hasActive(.tagOffline), context.alarms.isRaised(.tagOffline, .init(key)) {
            TagOfflineRule.spoke(key, at: t, position: context.position(states[slot].point, level: states[slot].level), context: &context)
        }
        if !states[slot].offlineTimerSet {
            states[slot].offlineTimerSet = true
            timers.schedule(.offline(slot: slot, lastPosition: t), at: t.adding(seconds: site.settings.offlineAfterS))
        }
        if let b = r.batteryPct, b < site.settings.lowBatteryPct || states[slot].lowBattery {
            LowBatteryRule.reported(&states[slot], battery: b, at: t,
                                    position: context.position(states[slot].point, level: states[slot].level), context: &context)
        } else if let b = r.batteryPct {
            states[slot].lastBattery = b
        }
        guard case .person(let id) = key else { return }
        let setTimer = ManDownRule.observe(&states[slot], at: states[slot].point, moving: r.moving, time: t, moveM: site.settings.manDownMoveM)
        if states[slot].stillSince == nil {
            if context.alarms.hasActive(.manDown), context.alarms.isRaised(.manDown, .init(key)) {
                ManDownRule.moved(key, at: t, position: context.position(states[slot].point, level: states[slot].level), context: &context)
            }
        } else if setTimer, let since = states[slot].stillSince {
            states[slot].manDownTimerSet = true
            timers.schedule(.manDown(slot: slot, stillSince: since), at: ManDownRule.deadlines(since: since, settings: site.settings).raise)
        }
        for stay in states[slot].stays where site.zones[stay.zone].crowding != nil {
            evaluateCrowding(stay.zone, at: t)
        }
        if permits.hasAny {
            for p in permits.active(naming: id, at: t) { evaluateGuardians(p, at: t) }
        }
        if musterRunning { musterObserve(slot: slot, at: t) }
    }

    /// Re-checks whether a person may be in a zone, and when that will need checking again.
    func checkAccess(slot: Int, stay: SubjectState.Stay, at t: Instant) {
        let key = states[slot].key
        let zone = site.zones[stay.zone]
        let pos = context.position(states[slot].point, level: states[slot].level)
        let verdict = RestrictedZoneRule.evaluate(key, stay: stay, zone: zone, at: t, position: pos, context: &context,
                                                  hasPermit: hasWorkPermit(key, zone: zone, at: t))
        if let until = verdict?.validUntil, until > t {
            timers.schedule(.authorisationEnds(slot: slot, zone: stay.zone), at: until)
        }
    }

    /// A zone's head count changed: lone work, understaffing and crowding look again.
    func recountZone(_ index: Int, at t: Instant) {
        let zone = site.zones[index]
        let lookup = peopleLookup
        if zone.twoPerson {
            let due = loneWorkers.recount(zone: zone, occupancy: occupancy, at: t, settings: site.settings,
                                          position: lookup.position, context: &context)
            if let due { timers.schedule(.zoneCheck(zone: index), at: due) }
        }
        if zone.minPeople != nil {
            if let due = understaffed.evaluate(zone: zone, occupancy: occupancy, at: t, offset: site.utcOffset(at: t),
                                               settings: site.settings, context: &context) {
                timers.schedule(.zoneCheck(zone: index), at: due)
            }
        }
        if zone.crowding != nil { evaluateCrowding(index, at: t) }
    }

    func evaluateCrowding(_ index: Int, at t: Instant) {
        let lookup = peopleLookup
        if let due = crowding.evaluate(zone: site.zones[index], occupancy: occupancy, at: t, locate: lookup.point, context: &context) {
            timers.schedule(.zoneCheck(zone: index), at: due)
        }
    }

    func evaluateGuardians(_ p: WorkPermit, at t: Instant) {
        let lookup = peopleLookup
        let checks = guardians.evaluate(permit: p, at: t, locate: lookup.place, settings: site.settings,
                                        position: lookup.position, context: &context)
        for (w, due) in checks { timers.schedule(.guardian(permit: w.permit, worker: w.worker), at: due) }
    }

    /// Staffed zones are looked at once when the engine's clock first runs, so an empty
    /// control room is noticed even if nobody ever enters it.
    func startStaffing(at t: Instant) {
        if guardianRecheckPending {
            guardianRecheckPending = false
            for p in permits.permits.values.sorted(by: { $0.id < $1.id }) where p.isActive(at: t) { evaluateGuardians(p, at: t) }
        }
        for zone in site.zones where zone.minPeople != nil || zone.twoPerson || zone.crowding != nil {
            recountZone(zone.index, at: t)
            if let b = UnderstaffedRule.nextBoundary(zone, after: t, offset: site.utcOffset(at: t)) {
                timers.schedule(.staffedBoundary(zone: zone.index), at: b)
            }
        }
    }

    // MARK: alerts

    func alert(slot: Int, _ a: TagAlert) {
        let s = states[slot]
        let pos = s.hasPosition ? context.position(s.point, level: s.level) : nil
        switch a.kind {
        case .sos:
            TagAlertRule.sos(s, tag: a.tag, at: a.time, position: pos, context: &context)
        case .tamper:
            TagAlertRule.tamper(s, tag: a.tag, at: a.time, position: pos, context: &context)
        case .fall:
            guard states[slot].pendingFall == nil else { return }
            states[slot].pendingFall = a.time
            timers.schedule(.fall(slot: slot, at: a.time), at: a.time.adding(seconds: site.settings.manDownCancelS))
        case .cancel:
            states[slot].pendingFall = nil
            TagAlertRule.cancel(s, at: a.time, context: &context)
            // Within the man-down pre-alarm, a cancel means "I am fine": the count starts over.
            if let since = s.stillSince {
                let d = ManDownRule.deadlines(since: since, settings: site.settings)
                if a.time >= d.preAlarm && a.time < d.raise {
                    states[slot].stillSince = a.time
                    states[slot].manDownTimerSet = true
                    timers.schedule(.manDown(slot: slot, stillSince: a.time),
                                    at: ManDownRule.deadlines(since: a.time, settings: site.settings).raise)
                }
            }
        }
    }

    // MARK: the clock

    /// A timer fell due at `t` (the engine's clock stands at `t`).
    func fire(_ event: TimerQueue.Event, at t: Instant) {
        switch event {
        case .overstay(let slot, let zi, let since):
            guard let stay = states[slot].stay(in: zi), stay.since == since else { return }
            OverstayRule.reached(states[slot].key, zone: site.zones[zi], since: since, at: t,
                                 position: context.position(states[slot].point, level: states[slot].level), context: &context)
        case .offline(let slot, _):
            guard let last = states[slot].lastPositionTime else { states[slot].offlineTimerSet = false; return }
            let due = last.adding(seconds: site.settings.offlineAfterS)
            if due > t {
                timers.schedule(.offline(slot: slot, lastPosition: last), at: due)
                return
            }
            states[slot].offlineTimerSet = false
            // With gates reporting, the gate record says who is on site; without, the fence does.
            let key = states[slot].key
            if gatesInUse && key.kind != "tag" && !gatehouse.ledger.contains(key) { return }
            TagOfflineRule.silent(states[slot], since: last, at: t,
                                  position: context.position(states[slot].point, level: states[slot].level), context: &context)
        case .manDown(let slot, _):
            guard let since = states[slot].stillSince else { states[slot].manDownTimerSet = false; return }
            let due = ManDownRule.deadlines(since: since, settings: site.settings).raise
            if due > t {
                timers.schedule(.manDown(slot: slot, stillSince: since), at: due)
                return
            }
            states[slot].manDownTimerSet = false
            ManDownRule.raise(states[slot], at: t, position: context.position(states[slot].point, level: states[slot].level),
                              context: &context)
        case .fall(let slot, let at):
            guard states[slot].pendingFall == at else { return }
            states[slot].pendingFall = nil
            let s = states[slot]
            TagAlertRule.fall(s, fellAt: at, at: t, position: s.hasPosition ? context.position(s.point, level: s.level) : nil,
                              context: &context)
        case .permitBoundary(let id):
            guard let p = permits.permits[id], let zone = site.zone(p.zone) else { return }
            recheckAccess(zone: zone, at: t)
            evaluateGuardians(p, at: t)
        case .authorisationEnds(let slot, let zi):
            guard let stay = states[slot].stay(in: zi) else { return }
            checkAccess(slot: slot, stay: stay, at: t)
        case .zoneCheck(let zi):
            let zone = site.zones[zi]
            let lookup = peopleLookup
            loneWorkers.check(zone: zone, at: t, settings: site.settings, position: lookup.position, context: &context)
            understaffed.check(zone: zone, occupancy: occupancy, at: t, settings: site.settings, context: &context)
            crowding.check(zone: zone, occupancy: occupancy, at: t, locate: lookup.point, context: &context)
        case .staffedBoundary(let zi):
            let zone = site.zones[zi]
            recountZone(zi, at: t)
            if let b = UnderstaffedRule.nextBoundary(zone, after: t, offset: site.utcOffset(at: t)) {
                timers.schedule(.staffedBoundary(zone: zi), at: b)
            }
        case .vehicleStop(let slot, let since):
            vehicleStopDue(slot: slot, since: since, at: t)
        case .vehicleStay(let slot, let since):
            vehicleStayDue(slot: slot, since: since, at: t)
        case .arrivalDeadline(let slot, let booking):
            arrivalDue(slot: slot, booking: booking, at: t)
        case .musterProgress(let id):
            musterTick(id: id, at: t, periodic: true)
        case .musterDwell(let id):
            musterTick(id: id, at: t, periodic: false)
        case .positioningWindow:
            positioningWindowDue(at: t)
        case .guardian(let permit, let worker):
            guard let p = permits.permits[permit] else { return }
            let w = GuardianRule.Watch(permit: permit, worker: worker)
            let wl = personPlace(worker)
            let nearest = wl.flatMap { wl in
                p.guardians.compactMap { g in personPlace(g).flatMap { $0.level == wl.level ? $0.point.distance(to: wl.point) : nil } }.min()
            }
            guardians.check(w, permit: p, at: t, settings: site.settings, position: personPosition(worker),
                            nearestGuardianM: nearest, context: &context)
        }
    }

    /// Zone conditions already being timed (alone, crowded, understaffed) get their check again,
    /// at the instant their grace runs out: one that ran out while the service was down is
    /// raised at the first tick with that instant, as an overstay is, not with the restart's.
    func scheduleZoneChecks() {
        let s = site.settings
        for (zi, a) in loneWorkers.alone.sorted(by: { $0.key < $1.key }) {
            timers.schedule(.zoneCheck(zone: zi), at: a.since.adding(seconds: s.loneWorkerGraceS))
        }
        for (zi, e) in crowding.episodes.sorted(by: { $0.key < $1.key }) {
            timers.schedule(.zoneCheck(zone: zi), at: e.since.adding(seconds: site.zones[zi].crowding?.durationS ?? 0))
        }
        for (zi, since) in understaffed.below.sorted(by: { $0.key < $1.key }) {
            timers.schedule(.zoneCheck(zone: zi), at: since.adding(seconds: s.understaffedAfterS))
        }
    }

    /// Everyone in the zone is checked again (a permit began, closed or ran out).
    func recheckAccess(zone: Zone, at t: Instant) {
        for pid in occupancy.people(zone: zone.index) {
            guard let slot = slots[.person(pid)], let stay = states[slot].stay(in: zone.index) else { continue }
            checkAccess(slot: slot, stay: stay, at: t)
        }
    }

    /// After a restore or a site reload: every timer the live state implies is set again.
    func rebuildTimers() {
        timers.removeAll()
        for slot in states.indices {
            states[slot].offlineTimerSet = false
            states[slot].manDownTimerSet = false
            guard let last = states[slot].lastPositionTime else { continue }
            states[slot].offlineTimerSet = true
            timers.schedule(.offline(slot: slot, lastPosition: last), at: last.adding(seconds: site.settings.offlineAfterS))
            for stay in states[slot].stays {
                if let due = OverstayRule.due(zone: site.zones[stay.zone], since: stay.since) {
                    timers.schedule(.overstay(slot: slot, zone: stay.zone, since: stay.since), at: due)
                }
            }
            if case .person = states[slot].key, let since = states[slot].stillSince {
                states[slot].manDownTimerSet = true
                timers.schedule(.manDown(slot: slot, stillSince: since), at: ManDownRule.deadlines(since: since, settings: site.settings).raise)
            }
            if let fell = states[slot].pendingFall {
                timers.schedule(.fall(slot: slot, at: fell), at: fell.adding(seconds: site.settings.manDownCancelS))
            }
        }
        for p in permits.permits.values.sorted(by: { $0.id < $1.id }) {
            if p.from > now { timers.schedule(.permitBoundary(id: p.id), at: p.from) }
            if p.end > now { timers.schedule(.permitBoundary(id: p.id), at: p.end) }
        }
        // Vehicles on site by the gate record: their allowed stay and their booking's deadline.
        for e in gatehouse.ledger.sorted {
            guard case .vehicle(let plate) = e.subject else { continue }
            let slot = self.slot(for: e.subject, at: e.since)
            let b = e.booking.flatMap { gatehouse.bookings.bookings[$0] }
            let stayMin = b?.maxStayMin ?? site.settings.vehicleMaxStayMin
            timers.schedule(.vehicleStay(slot: slot, since: e.since), at: e.since.adding(seconds: stayMin * 60))
            if let b, b.destination != nil, journeys[b.id]?.arrivedAt == nil {
                timers.schedule(.arrivalDeadline(slot: slot, booking: b.id), at: b.window.until)
            }
            _ = plate
        }
        for (slot, var track) in vehicleTracks.sorted(by: { $0.key < $1.key }) {
            track.stopTimerSet = track.slowSince != nil
            if let since = track.slowSince {
                timers.schedule(.vehicleStop(slot: slot, since: since), at: since.adding(seconds: site.settings.stopAfterS))
            }
            vehicleTracks[slot] = track
        }
        if let m = muster {
            timers.schedule(.musterProgress(id: m.id), at: now.adding(seconds: site.settings.musterProgressS))
            timers.schedule(.musterDwell(id: m.id), at: now.adding(seconds: site.settings.musterDwellS))
        }
        degraded.windowTimerSet = false
        // Episodes already being timed (restored, or kept over a site reload) get their checks.
        scheduleZoneChecks()
        for (w, since) in guardians.unguarded.sorted(by: { ($0.key.permit, $0.key.worker) < ($1.key.permit, $1.key.worker) }) {
            timers.schedule(.guardian(permit: w.permit, worker: w.worker), at: max(now, since.adding(seconds: site.settings.loneWorkerGraceS)))
        }
        startedStaffing = false
        guardianRecheckPending = true
    }

    // MARK: look-ups for the rules

    /// Where people are, for rules that need others' positions. A value taken before the call:
    /// rules get the rule context `inout`, so they must not read the engine through `self`.
    var peopleLookup: PeopleLookup { PeopleLookup(site: site, states: states, slots: slots) }

    func personPosition(_ id: String) -> Violation.Position? { peopleLookup.position(id) }
    func personPoint(_ id: String) -> (point: LocalPoint, level: Int)? { peopleLookup.point(id) }
    func personPlace(_ id: String) -> (point: LocalPoint, level: Int, zones: [String])? { peopleLookup.place(id) }
}

/// Read-only positions of people by id.
struct PeopleLookup {
    let site: Site
    let states: [SubjectState]
    let slots: [SubjectKey: Int]

    func position(_ id: String) -> Violation.Position? {
        guard let slot = slots[.person(id)], states[slot].hasPosition else { return nil }
        let p = states[slot].point
        let g = site.frame.toLonLat(p)
        return .init(x: p.x, y: p.y, level: states[slot].level, lon: g.lon, lat: g.lat)
    }

    func point(_ id: String) -> (point: LocalPoint, level: Int)? {
        guard let slot = slots[.person(id)], states[slot].hasPosition else { return nil }
        return (states[slot].point, states[slot].level)
    }

    func place(_ id: String) -> (point: LocalPoint, level: Int, zones: [String])? {
        guard let slot = slots[.person(id)], states[slot].hasPosition else { return nil }
        return (states[slot].point, states[slot].level, states[slot].stays.map { site.zones[$0.zone].id })
    }
}
