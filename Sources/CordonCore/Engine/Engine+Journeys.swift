import Geometry

/// A vehicle on site from its gate record: its booking's route and destination, its deadline
/// and its stay, and the journey record kept for each booking.
extension Engine {
    /// Whether the park's gates report passages (then the gate record says who is on site).
    var gatesInUse: Bool { !gateLastTime.isEmpty }

    /// The booking a vehicle used to enter, while it is on site.
    func activeBooking(_ plate: String) -> Booking? {
        gatehouse.ledger[.vehicle(plate)]?.booking.flatMap { gatehouse.bookings.bookings[$0] }
    }

    /// The route a vehicle on a booking must follow.
    func plannedRoute(_ plate: String) -> Route? {
        activeBooking(plate)?.route.flatMap { site.routes[$0] }
    }

    /// Where a vehicle may stop: its booking's destination, else its own enterprise.
    func destination(_ plate: String) -> String? {
        activeBooking(plate)?.destination ?? registry.vehicles[plate]?.enterprise
    }

    /// A subject came through a gate onto the site.
    func enteredSite(_ key: SubjectKey, entry: PresenceEntry, at t: Instant) {
        musterGateEntry(key, at: t)
        guard case .vehicle(let plate) = key else { return }
        let slot = self.slot(for: key, at: t)
        let booking = entry.booking.flatMap { gatehouse.bookings.bookings[$0] }
        let stayMin = booking?.maxStayMin ?? site.settings.vehicleMaxStayMin
        timers.schedule(.vehicleStay(slot: slot, since: t), at: t.adding(seconds: stayMin * 60))
        if let b = booking {
            journeys[b.id] = Journey(booking: b.id, plate: plate, route: b.route, destination: b.destination)
            journeys[b.id]?.note(.entered, at: t, gate: entry.gate)
            if b.destination != nil { timers.schedule(.arrivalDeadline(slot: slot, booking: b.id), at: max(t, b.window.until)) }
        }
    }

    /// A subject went out through a gate: its stay on site, deadline and route watch end.
    func leftSite(_ key: SubjectKey, entry: PresenceEntry, at t: Instant) {
        let k = AlarmBook.Subject(key)
        let leftSite: (Violation) -> [String: Value]? = { $0.details.merging(["ended": "left the site"]) { _, n in n } }
        // A tag that went quiet on the way out is not a silent tag on site.
        context.alarms.clear(.tagOffline, k, at: t, end: leftSite)
        // Someone who has gone out through a gate is not lying still on site: a pending
        // man-down or fall is dropped, and a raised man-down ends.
        if case .person = key, let slot = slots[key] {
            states[slot].stillSince = nil
            states[slot].pendingFall = nil
            context.alarms.clear(.manDown, k, at: t, end: leftSite)
        }
        guard case .vehicle = key else { return }
        for kind in [ViolationKind.lateArrival, .routeDeviation, .illegalStop, .speeding] {
            for v in context.alarms.active(kind: kind, subject: k) {
                context.alarms.clear(kind, k, scope: v.scope, at: t, end: leftSite)
            }
        }
        context.alarms.clear(.overstay, k, scope: "site", at: t)
        if let id = entry.booking { journeys[id]?.note(.exited, at: t, gate: nil) }
    }

    /// The journey side of a vehicle fix: route, arrival, departure.
    func journeyFix(slot: Int, plate: String, track: inout VehicleTrack, at t: Instant) {
        guard let booking = activeBooking(plate) else { return }
        let p = states[slot].point
        let pos = context.position(p, level: states[slot].level)
        let atDestination = booking.destination.flatMap { site.enterprises[$0] }?.shape.covers(p) ?? false
        let inLot = site.parking.values.contains { $0.shape.covers(p) }
        if let route = booking.route.flatMap({ site.routes[$0] }) {
            let wasOff = track.offRouteSince != nil
            RouteDeviationRule.observe(states[slot].key, track: &track, route: route, at: p, time: t,
                                       exempt: atDestination || inLot || !states[slot].insideFence, position: pos, context: &context)
            if wasOff != (track.offRouteSince != nil) { journeys[booking.id]?.note(wasOff ? .backOnRoute : .offRoute, at: t, gate: nil) }
        }
        if atDestination && !track.atDestination {
            track.atDestination = true
            if journeys[booking.id]?.arrivedAt == nil {
                journeys[booking.id]?.note(.arrived, at: t, gate: nil)
                context.alarms.clear(.lateArrival, .init(.vehicle(plate)), scope: booking.id, at: t, position: pos)
            }
        } else if !atDestination && track.atDestination {
            track.atDestination = false
            journeys[booking.id]?.note(.departed, at: t, gate: nil)
        }
    }

    /// The booking's deadline passed: has the truck reached its destination?
    func arrivalDue(slot: Int, booking id: String, at t: Instant) {
        guard case .vehicle(let plate) = states[slot].key, activeBooking(plate)?.id == id,
              journeys[id]?.arrivedAt == nil, let b = gatehouse.bookings.bookings[id] else { return }
        let s = states[slot]
        context.raise(.lateArrival, subject: s.key, scope: id, at: t, zone: nil,
                      position: s.hasPosition ? context.position(s.point, level: s.level) : nil,
                      details: .compactMembers(["booking": .string(id), "destination": .optional(b.destination),
                                                "deadline": .time(b.window.until)]))
    }

    /// The vehicle's allowed stay on site ran out.
    func vehicleStayDue(slot: Int, since: Instant, at t: Instant) {
        let key = states[slot].key
        guard case .vehicle(let plate) = key, let entry = gatehouse.ledger[key], entry.since == since else { return }
        let b = activeBooking(plate)
        let s = states[slot]
        context.raise(.overstay, subject: key, scope: "site", at: t, zone: nil,
                      position: s.hasPosition ? context.position(s.point, level: s.level) : nil,
                      details: .compactMembers(["entered_at": .time(since), "gate": .string(entry.gate),
                                                "booking": .optional(b?.id),
                                                "max_stay_min": .number(b?.maxStayMin ?? site.settings.vehicleMaxStayMin)]))
    }

    /// `journey`: a booking's record from entry to exit.
    func journeyReply(booking id: String) throws(RequestError) -> [String: Value] {
        guard let b = gatehouse.bookings.bookings[id] else { throw .notFound("no booking '\(id)'; booking.list shows them") }
        var j = journeys[id]?.value ?? ["booking": .string(id), "events": []]
        guard case .object(var o) = j else { return ["journey": j] }
        o["plate"] = .string(b.plate)
        o["status"] = .string(b.status.rawValue)
        let now = self.alarms.active.values.filter { $0.subject.kind == "vehicle" && $0.subject.id == b.plate }
        o["active_violations"] = .array(now.sorted { $0.time < $1.time }.map { .string("\($0.kind.rawValue) \($0.id)") })
        o["violations"] = .array((journeys[id]?.violations ?? []).map(Value.string))
        j = .object(o)
        return ["journey": j]
    }

    /// `parking`: who waits in which lot, since when.
    func parkingReply() -> [String: Value] {
        let lots = site.parking.values.sorted { $0.id < $1.id }.map { lot -> Value in
            let occ = parkingLots.occupants[lot.id] ?? [:]
            return .compact([
                "id": .string(lot.id), "name": .optional(lot.name), "capacity": lot.capacity.map { .int($0) } ?? .null,
                "count": .int(occ.count),
                "vehicles": .array(occ.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { ["plate": .string($0.key), "since": .time($0.value)] }),
            ])
        }
        return ["lots": .array(lots), "t": .time(now)]
    }
}
