import Geometry

extension Engine {
    /// Answers a control command at instant `t` (the clock first advances to `t`).
    public func control(_ command: ControlCommand, at t: Instant) -> ControlResult {
        var outputs = advance(to: t)
        let result: ControlResult
        do throws(RequestError) {
            switch command {
            case .registryUpsert(let r): result = try registryUpsert(r, at: now)
            case .registryGet(let q): result = ControlResult(reply: .success(try registryGet(q)))
            case .registryRemove(let r): result = registryRemove(r)
            case .headcount(let zone): result = ControlResult(reply: .success(try headcount(zone: zone)))
            case .whereis(let who): result = ControlResult(reply: .success(try whereis(who)))
            case .alarmsActive(let kind, let subject): result = ControlResult(reply: .success(alarmsActive(kind: kind, subject: subject)))
            case .alarmsAck(let id, let by): result = try alarmsAck(id: id, by: by, at: now)
            case .permitCreate(let r): result = try permitCreate(r, at: now)
            case .permitClose(let id, let by): result = try permitClose(id: id, by: by, at: now)
            case .permitList(let zone, let activeOnly): result = ControlResult(reply: .success(permitList(zone: zone, activeOnly: activeOnly, at: now)))
            case .musterStart(let r): result = try musterStart(r, at: now)
            case .musterStatus: result = ControlResult(reply: .success(try musterStatus(at: now)))
            case .musterMark(let r): result = try musterMark(r, at: now)
            case .musterEnd(let by): result = try musterEnd(by: by, at: now)
            case .musterList: result = ControlResult(reply: .success(musterList()))
            case .journey(let booking): result = ControlResult(reply: .success(try journeyReply(booking: booking)))
            case .parking: result = ControlResult(reply: .success(parkingReply()))
            case .presence(let q): result = ControlResult(reply: .success(presenceReply(q)))
            case .bookingCreate(let r): result = try bookingCreate(r, at: now)
            case .bookingCancel(let id): result = try bookingCancel(id: id, at: now)
            case .bookingList(let f): result = ControlResult(reply: .success(bookingList(f)))
            case .reportPositioning(let r): result = ControlResult(reply: .success(try positioningReport(r)))
            }
        } catch {
            return ControlResult(reply: .failure(error), outputs: outputs)
        }
        outputs += result.outputs
        // A request that changed something may have changed subjects: the journal looks at all.
        if !result.effects.isEmpty || !result.outputs.isEmpty { journalTouchAll() }
        return ControlResult(reply: result.reply, outputs: outputs, effects: result.effects)
    }

    // MARK: registry

    private func registryUpsert(_ r: RegistryUpsert, at t: Instant) throws(RequestError) -> ControlResult {
        // Checked against the registry before anything is applied: one conflict changes nothing.
        try checkReferenceTagsFree(r.references)
        try checkNotReferenceTags(people: r.people, vehicles: r.vehicles)
        applyRegistry(people: r.people, vehicles: r.vehicles, at: t)
        applyReferences(r.references, at: t)
        var reply: [String: Value] = ["people": .int(r.people.count), "vehicles": .int(r.vehicles.count)]
        if !r.references.isEmpty { reply["references"] = .int(r.references.count) }
        return ControlResult(
            reply: .success(reply),
            outputs: context.alarms.drain(),
            effects: [.registryUpserted(people: r.people, vehicles: r.vehicles)]
                + (r.references.isEmpty ? [] : [.referencesUpserted(r.references)]))
    }

    /// Loads records (also used for `replay --registry` and for a restart from the store).
    /// People already inside permit zones are checked again: a qualification granted or
    /// withdrawn counts from now, not from their next entry.
    public func applyRegistry(people: [Person], vehicles: [Vehicle], at t: Instant) {
        for p in people {
            context.registry.upsert(p)
            if let tag = p.tag { adopt(tag: tag, as: .person(p.id), at: t) }
            if let slot = slots[.person(p.id)] {
                for stay in states[slot].stays where site.zones[stay.zone].access == .permit { checkAccess(slot: slot, stay: stay, at: t) }
            }
        }
        for v in vehicles {
            context.registry.upsert(v)
            if let tag = v.tag { adopt(tag: tag, as: .vehicle(PlateNumber.normalize(v.plate)), at: t) }
        }
        registryChanged()
    }

    /// A tag that was reporting as unknown now belongs to someone: its track moves to them.
    private func adopt(tag: String, as key: SubjectKey, at t: Instant) {
        unknownTags.registered(tag: tag, at: t, context: &context)
        guard let old = slots[.tag(tag)] else { return }
        let stale = states[old]
        slots[.tag(tag)] = nil
        if stale.hasPosition && slots[key] == nil {
            let s = slot(for: key, at: t)
            var moved = stale
            moved.key = key
            states[s] = moved
            // The stays move with the track; occupancy counts people only, so add them now.
            if case .person(let id) = key { for stay in moved.stays { occupancy.add(id, zone: stay.zone, level: stay.level) } }
        }
        states[old].stays = []
    }

    private func registryGet(_ q: RegistryQuery) throws(RequestError) -> [String: Value] {
        switch q {
        case .reference(let id):
            return try referenceGet(id: id)
        case .person(let id):
            guard let p = registry.people[id] else { throw .notFound("no person with id '\(id)'") }
            return ["person": RegistryRecords.value(p)]
        case .plate(let plate):
            guard let v = registry.vehicle(plate: plate) else { throw .notFound("no vehicle with plate '\(plate)'") }
            return ["vehicle": RegistryRecords.value(v)]
        case .tag(let tag):
            switch registry.owner(ofTag: tag) {
            case .person(let id)?: return ["person": registry.people[id].map(RegistryRecords.value) ?? .null]
            case .vehicle(let plate)?: return ["vehicle": registry.vehicles[plate].map(RegistryRecords.value) ?? .null]
            default: throw .notFound("no person or vehicle carries tag '\(tag)'")
            }
        case .everything:
            break
        }
        return [
            "people": .array(registry.people.values.sorted { $0.id < $1.id }.map(RegistryRecords.value)),
            "vehicles": .array(registry.vehicles.values.sorted { $0.plate < $1.plate }.map(RegistryRecords.value)),
        ].merging(registry.references.isEmpty ? [:] : ["references": referenceList]) { a, _ in a }
    }

    private func registryRemove(_ r: RegistryRemoval) -> ControlResult {
        let references = r.references
        let removedReferences = removeReferences(references)
        let removedPeople = r.people.filter { context.registry.removePerson($0) }
        for id in removedPeople { forget(.person(id), at: now, reason: "removed from the registry") }
        let removedVehicles = r.vehicles.filter { context.registry.removeVehicle($0) }.map(PlateNumber.normalize)
        for plate in removedVehicles { forget(.vehicle(plate), at: now, reason: "removed from the registry") }
        registryChanged()
        return ControlResult(
            reply: .success(["people": .array(removedPeople.map(Value.string)),
                             "vehicles": .array(removedVehicles.map(Value.string))].merging(references.isEmpty ? [:] : ["references": .array(removedReferences.map(Value.string))]) { a, _ in a }),
            outputs: context.alarms.drain(),
            effects: [.registryRemoved(people: removedPeople, vehicles: removedVehicles)] + (removedReferences.isEmpty ? [] : [.referencesRemoved(removedReferences)]))
    }

    /// A subject the registry no longer knows: it leaves every zone, and whatever was raised
    /// about it ends. Its tag, if it reports again, is an unknown tag.
    func forget(_ key: SubjectKey, at t: Instant, reason: String) {
        guard let slot = slots[key] else { return }
        let stays = states[slot].stays
        if !stays.isEmpty {
            var change = ZoneMembership.Change()
            change.exited = stays
            states[slot].stays = []
            zonesChanged(slot: slot, change: change, at: t)
        }
        for v in context.alarms.active.values.filter({ $0.subject.kind == key.kind && $0.subject.id == key.id }).sorted(by: { $0.id < $1.id }) {
            guard let k = context.alarms.key(of: v) else { continue }
            context.alarms.clear(k, at: t, details: v.details.merging(["ended": .string(reason)]) { _, n in n })
        }
        slots[key] = nil
        vehicleTracks[slot] = nil
    }

    // MARK: where people are

    private func headcount(zone id: String?) throws(RequestError) -> [String: Value] {
        if let id {
            guard let zone = site.zone(id) else { throw .notFound("no zone '\(id)' in site \(site.id)") }
            var people: [Value] = []
            for pid in occupancy.people(zone: zone.index) {
                guard let s = state(of: .person(pid)), let stay = s.stay(in: zone.index) else { continue }
                let p = registry.people[pid]
                people.append(.compact(["id": .string(pid), "name": .optional(p?.name), "enterprise": .optional(p?.enterprise),
                                        "since": .time(stay.since), "level": .int(stay.level)]))
            }
            var z = zoneSummary(zone, count: people.count)
            z["people"] = .array(people)
            return ["zone": .object(z), "t": .time(now)]
        }
        var zones: [Value] = []
        var total = 0
        for zone in site.zones {
            let n = occupancy.count(zone: zone.index)
            guard n > 0 else { continue }
            total += n
            zones.append(.object(zoneSummary(zone, count: n)))
        }
        return ["zones": .array(zones), "total_in_zones": .int(total), "t": .time(now)]
    }

    private func zoneSummary(_ zone: Zone, count: Int) -> [String: Value] {
        var z: [String: Value] = ["id": .string(zone.id), "count": .int(count)]
        if let n = zone.name { z["name"] = .string(n) }
        if let m = zone.maxPeople { z["max_people"] = .int(m) }
        if let r = zone.risk { z["risk"] = .string(r.rawValue) }
        if let l = zone.level { z["level"] = .int(l) }
        return z
    }

    private func whereis(_ who: WhereisSubject) throws(RequestError) -> [String: Value] {
        let key: SubjectKey
        switch who {
        case .named(let id):
            key = registry.people[id] != nil ? .person(id) : (registry.vehicle(plate: id) != nil ? .vehicle(PlateNumber.normalize(id)) : .person(id))
        case .plate(let plate):
            key = .vehicle(PlateNumber.normalize(plate))
        case .tag(let tag):
            key = subjectKey(for: .tag(tag))
        }
        guard let s = state(of: key), let t = s.lastPositionTime else {
            throw .notFound("no position known for \(key.kind) '\(key.id)'")
        }
        let pos = context.position(s.point, level: s.level)
        let subject = context.describe(key, tag: s.tag)
        return [
            "subject": .compact(["kind": .string(subject.kind), "id": .string(subject.id), "name": .optional(subject.name),
                                 "tag": .optional(subject.tag), "enterprise": .optional(subject.enterprise)]),
            "t": .time(t),
            "age_s": .number(now.seconds(since: t)),
            "position": .compact(["x": .number(pos.x.rounded(toPlaces: 2)), "y": .number(pos.y.rounded(toPlaces: 2)),
                                  "level": .int(pos.level), "lon": .number(pos.lon.rounded(toPlaces: 7)),
                                  "lat": .number(pos.lat.rounded(toPlaces: 7)),
                                  "accuracy_m": s.accuracyM.map(Value.number) ?? .null]),
            "zones": .array(s.stays.map { stay in
                let z = site.zones[stay.zone]
                return .compact(["id": .string(z.id), "name": .optional(z.name), "since": .time(stay.since)])
            }),
            "enterprise_area": .optional(site.enterprise(at: s.point)),
        ].merging(undecidedMember(s)) { a, _ in a }
    }

    // MARK: alarms

    private func alarmsActive(kind: String?, subject: String?) -> [String: Value] {
        let list = alarms.active.values
            .filter { kind == nil || $0.kind.rawValue == kind }
            .filter { subject == nil || $0.subject.id == subject }
            .sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        return ["alarms": .array(list.map(alarmValue)), "count": .int(list.count)]
    }

    func alarmValue(_ v: Violation) -> Value {
        guard case .object(var o) = v.body(site: site.id) else { return .null }
        if let ack = alarms.acknowledgement(id: v.id) {
            o["acknowledged"] = ["by": .string(ack.by), "at": .time(ack.at)]
        }
        return .object(o)
    }

    private func alarmsAck(id: String, by: String, at t: Instant) throws(RequestError) -> ControlResult {
        guard let v = context.alarms.acknowledge(id: id, by: by, at: t) else {
            throw .notFound("no active alarm with id '\(id)'; alarms.active lists them")
        }
        return ControlResult(
            reply: .success(["alarm": alarmValue(v), "acknowledged": ["by": .string(by), "at": .time(t)]]),
            outputs: context.alarms.drain(),
            effects: [.acknowledged(id: id, by: by, at: t, alarm: v)])
    }
}
