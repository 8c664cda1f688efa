import Geometry

/// Gates: every passage decided, published on `access.<gate>` and recorded; the presence
/// ledger; bookings; and the reconciliation of the gate record with positions.
/// (docs/protocol.md, "Ingest messages" to "Control requests", docs/gates.md.)
extension Engine {
    // MARK: - What the service reads

    /// When on, every gate passage leaves a ``GateRecord`` in ``Handled/gateRecords``: the
    /// service turns it on so that it can make decisions durable before publishing them.
    /// Off by default, so an engine used on its own does not accumulate them.
    public var keepsGateRecords: Bool {
        get { gatehouse.keepsRecords }
        set { gatehouse.keepsRecords = newValue }
    }

    /// Takes the records of the gate passages handled since the last call, in order.
    func takeGateRecords() -> [GateRecord] {
        guard !gatehouse.records.isEmpty else { return [] }
        defer { gatehouse.records.removeAll(keepingCapacity: true) }
        return gatehouse.records
    }

    /// Who and what is on site by the gate record.
    public var presence: PresenceLedger { gatehouse.ledger }

    /// Every booking, whatever its status.
    public var bookings: BookingBook { gatehouse.bookings }

    /// Whether emergency gates are open to passage at `t`. They are closed to ordinary
    /// passage (docs/site-file.md); mustering opens them for exits during an emergency.
    func emergencyGatesOpen(at t: Instant) -> Bool { muster?.mode == .emergency }

    // MARK: - Gate passages

    func handleGate(_ g: GatePassage) -> Disposition {
        guard let gate = site.gates[g.gate] else { return .rejected(.unknownGate(g.gate)) }
        if let last = gateLastTime[g.gate], g.time < last { return .late }
        gateLastTime[g.gate] = g.time
        decide(g, at: gate)
        return .accepted
    }

    /// Decides one passage, publishes the decision, raises what it calls for, and updates the
    /// ledger by what physically happened (the gate's own `granted` when it decided by itself).
    private func decide(_ p: GatePassage, at gate: Gate) {
        let subject = GateSubject.resolve(p.credential, context: context)
        let inside = subject.key.flatMap { gatehouse.ledger[$0] }
        let findings = GateAccessRule.evaluate(
            p, gate: gate, subject: subject, inside: inside, bookings: gatehouse.bookings, site: site,
            emergencyOpen: emergencyGatesOpen(at: p.time))
        var reasons = findings.reasons

        // Anti-passback, for a credential that identified its holder.
        let identified = subject.key != nil
            && !reasons.contains { [.unknownPerson, .unknownCard, .malformedPlate, .unknownPlate].contains($0.code) }
        let antiPassback = identified ? AntiPassbackRule.check(p, gate: gate, inside: inside) : nil
        if let antiPassback { reasons.append(antiPassback) }
        let tailgating = TailgatingRule.check(p)
        if let tailgating { reasons.append(tailgating) }

        // Tags: issued on the way in, handed back on the way out.
        let ownTag = subject.person?.tag ?? subject.vehicle?.tag
        var issuedTag: String?
        if p.direction == .in, let tag = p.tag, tag != ownTag {
            if let owner = context.registry.owner(ofTag: tag), owner != subject.key {
                reasons.append(.warning(.tagInUse, "tag \(tag) is \(owner.kind) \(owner.id)'s; it was not issued"))
            } else {
                issuedTag = tag
            }
        }
        if p.direction == .out, let entry = inside, entry.tagIssued, let issued = entry.tag {
            if p.tag == nil {
                reasons.append(.warning(.tagNotReturned, "tag \(issued) issued at entry was not handed back"))
            } else if p.tag != issued {
                reasons.append(.warning(.wrongTagReturned, "tag \(p.tag ?? "") handed back, \(issued) was issued"))
            }
        }

        let rulesGrant = !reasons.contains { $0.effect == .deny }
        if let gateGranted = p.granted, gateGranted != rulesGrant {
            reasons.append(.warning(.gateDisagrees, gateGranted
                ? "the gate let the passage through although the rules refuse it"
                : "the gate refused a passage the rules allow"))
        }
        let passed = p.granted ?? rulesGrant

        let id = gatehouse.decisionID(p)
        let carried = p.direction == .in ? (issuedTag ?? ownTag) : (inside?.tag ?? ownTag)
        var described = subject.described
        if let key = subject.key, subject.problem == nil { described = context.describe(key, tag: carried) }
        let decision = AccessDecision(
            id: id, gate: gate.id, direction: p.direction, time: p.time, subject: described, credential: p.credential,
            granted: rulesGrant, reasons: reasons, gateGranted: p.granted, count: p.count, plateColor: p.plateColor,
            booking: findings.booking?.id, tag: p.tag)
        context.alarms.pending.append(.access(decision))

        raiseViolations(p, gate: gate, subject: subject, decision: decision, antiPassback: antiPassback,
                        tailgating: tailgating, inside: inside)

        // The ledger follows what physically happened.
        var change: GateRecord.PresenceChange?
        var used: Booking?
        if passed, let key = subject.key {
            switch (p.direction, inside) {
            case (.in, nil):
                let enterprise = subject.person?.enterprise ?? subject.vehicle?.enterprise
                    ?? findings.booking?.destination.flatMap { site.enterprises[$0]?.id }
                let entry = PresenceEntry(
                    subject: key, since: p.time, gate: gate.id, tag: issuedTag ?? ownTag, tagIssued: issuedTag != nil,
                    booking: findings.booking?.id, enterprise: enterprise, decision: id)
                if var b = findings.booking {
                    b.status = .used
                    b.usedAt = p.time
                    gatehouse.bookings.put(b)
                    used = b
                }
                gatehouse.ledger.enter(entry)
                if let tag = issuedTag { issue(tag: tag, to: key, at: p.time) }
                gatehouse.presence.entered(slot: slot(for: key, at: p.time), key: key, entry: entry,
                                           untrackedAfterS: site.settings.untrackedAfterS, context: &context)
                enteredSite(key, entry: entry, at: p.time)
                change = .entered(entry)
            case (.out, let entry?):
                gatehouse.ledger.leave(key)
                if entry.tagIssued, let tag = entry.tag { release(tag: tag, from: key) }
                gatehouse.presence.left(slot: slot(for: key, at: p.time), key: key, gate: gate.id, at: p.time, context: &context)
                leftSite(key, entry: entry, at: p.time)
                change = .left(key)
            case (.out, nil):
                // Left without an entry on record: whatever was flagged about them on site ends.
                if let s = slots[key] { gatehouse.presence.left(slot: s, key: key, gate: gate.id, at: p.time, context: &context) }
            default:
                break
            }
        }
        if gatehouse.keepsRecords {
            gatehouse.records.append(GateRecord(decision: decision, presence: change, booking: used))
        }
    }

    /// `access-denied`, `anti-passback` and `tailgating`. These are events, not lasting
    /// conditions: each passage raises its own (scoped to its decision's id), which stays in
    /// `alarms.active` until acknowledged — a second refusal of the same person at the same
    /// gate, or a barrier lifted by hand for them, is not folded into the first.
    private func raiseViolations(
        _ p: GatePassage, gate: Gate, subject: GateSubject, decision: AccessDecision, antiPassback: AccessReason?,
        tailgating: AccessReason?, inside: PresenceEntry?
    ) {
        // Most passages raise nothing: what every raise shares is built only when one does.
        func raise(_ kind: ViolationKind, _ details: [String: Value], severity: Severity? = nil) {
            let common: [String: Value] = [
                "gate": .string(gate.id), "direction": .string(p.direction.rawValue), "decision": .string(decision.id),
                "credential": p.credential.value,
            ]
            context.raise(kind, subject: .subject(subject.violationKey), scope: decision.id, at: p.time, zone: nil,
                          position: context.position(gate.point, level: 0),
                          details: common.merging(details) { _, new in new }, severity: severity, tag: decision.subject.tag)
        }
        if !decision.granted {
            var details: [String: Value] = ["reasons": .array(decision.reasons.map(\.value))]
            if let g = p.granted { details["gate_granted"] = .bool(g) }
            // Someone the rules refuse is through the gate: that needs a guard now.
            raise(.accessDenied, details, severity: p.granted == true ? .critical : nil)
        }
        if let a = antiPassback, AntiPassbackRule.raises(at: gate) {
            var details: [String: Value] = [
                "mode": .string(gate.antiPassback.rawValue), "reason": .string(a.code.rawValue), "message": .string(a.message),
            ]
            if let inside {
                details["inside_since"] = .time(inside.since)
                details["entered_at_gate"] = .string(inside.gate)
            }
            raise(.antiPassback, details)
        }
        if tailgating != nil, let n = p.count {
            raise(.tailgating, ["count": .int(n), "credentials": 1, "followers": .int(n - 1)])
        }
    }

    /// A tag handed out at the gate now reports for `key`.
    private func issue(tag: String, to key: SubjectKey, at t: Instant) {
        context.registry.assign(tag: tag, to: key)
        sources.forget(.tag(tag))
        unknownTags.registered(tag: tag, at: t, context: &context)
    }

    /// A tag handed out for a visit is no longer theirs (handed back, or left with it).
    private func release(tag: String, from key: SubjectKey) {
        context.registry.release(tag: tag, from: key)
        sources.forget(.tag(tag))
    }

    // MARK: - Positions and the clock

    /// Reconciles one position with the gate record (called for every position; a subject
    /// already reconciled costs one array read).
    @inline(__always)
    func gatesPositioned(slot: Int, key: SubjectKey, at t: Instant, point: LocalPoint, level: Int) {
        if gatehouse.presence.isSettled(slot) { return }
        let registered: Bool
        switch key {
        case .person(let id): registered = registry.people[id] != nil
        case .vehicle(let plate): registered = registry.vehicles[plate] != nil
        case .tag: registered = false
        }
        let site = self.site
        gatehouse.presence.positioned(
            slot: slot, key: key, at: t, onSite: gatehouse.ledger.contains(key), registered: registered,
            insideFence: { site.fence.contains(point) }, noEntryGraceS: site.settings.noEntryGraceS,
            position: {
                let g = site.frame.toLonLat(point)
                return Violation.Position(x: point.x, y: point.y, level: level, lon: g.lon, lat: g.lat)
            },
            context: &context)
    }

    /// Raises `untracked` and `no-entry-record` whose time has come by `t`, at that time.
    func advanceGates(to t: Instant) {
        guard let next = gatehouse.presence.nextDue, next <= t else { return }
        while let (due, at) = gatehouse.presence.nextDue(by: t) {
            let state = states[due.slot]
            let key = state.key
            switch due.kind {
            case .untracked:
                let entry = gatehouse.ledger[key]
                context.raise(
                    .untracked, subject: .subject(key), scope: "", at: at, zone: nil, position: nil,
                    details: [
                        "entered_at": .time(due.armedAt), "gate": .optional(entry?.gate), "tag": .optional(entry?.tag),
                        "untracked_after_s": .number(site.settings.untrackedAfterS),
                    ].filter { !$0.value.isNull },
                    tag: entry?.tag)
            case .noEntry:
                context.raise(
                    .noEntryRecord, subject: key, scope: "", at: at, zone: nil,
                    position: context.position(state.point, level: state.level),
                    details: ["first_seen": .time(due.armedAt), "grace_s": .number(site.settings.noEntryGraceS)])
            }
        }
    }

    // MARK: - Restart

    /// Takes back the presence ledger and the bookings kept by the store, re-issuing the tags
    /// handed out at entry and re-arming the untracked watch. Call after the snapshot and the
    /// alarms are restored. Nothing is published.
    public func restoreGates(presence: [PresenceEntry], bookings: [Booking]) {
        for b in bookings { gatehouse.bookings.put(b) }
        for e in presence {
            gatehouse.ledger.enter(e)
            if e.tagIssued, let tag = e.tag {
                context.registry.assign(tag: tag, to: e.subject)
                sources.forget(.tag(tag))
            }
            let s = slot(for: e.subject, at: e.since)
            gatehouse.presence.restore(slot: s, key: e.subject, since: e.since, lastPosition: states[s].lastPositionTime,
                                       untrackedAfterS: site.settings.untrackedAfterS)
        }
        for v in alarms.active.values where v.kind == .noEntryRecord {
            let key: SubjectKey = v.subject.kind == "vehicle" ? .vehicle(v.subject.id) : .person(v.subject.id)
            if gatehouse.ledger[key] == nil { gatehouse.presence.restoreFlagged(slot: slot(for: key, at: v.time)) }
        }
        // Timers that depend on the gate record (a truck's stay, its deadline) are set again now.
        rebuildTimers()
    }

    // MARK: - Control: presence

    /// `presence`: who and what is on site by the gate record, with totals by kind and by
    /// enterprise, reconciled with positions. Optional filters: `kind` (`person`, `vehicle`),
    /// `enterprise`, `id` (a person id or a plate); `"list": false` leaves out the subjects.
    func presenceReply(_ q: PresenceQuery) -> [String: Value] {
        let (kind, enterprise, id, list) = (q.kind, q.enterprise, q.id, q.list)
        let plateID = id.map(PlateNumber.normalize)

        var byKind: [String: Int] = ["person": 0, "vehicle": 0]
        var byEnterprise: [String: [String: Int]] = [:]
        var subjects: [Value] = []
        var total = 0
        for e in gatehouse.ledger.sorted {
            let d = context.describe(e.subject, tag: e.tag)
            let ent = e.enterprise ?? d.enterprise
            if let kind, e.subject.kind != kind { continue }
            if let enterprise, ent != enterprise { continue }
            if let id, e.subject.id != id, e.subject.id != plateID { continue }
            total += 1
            byKind[e.subject.kind, default: 0] += 1
            byEnterprise[ent ?? "none", default: ["person": 0, "vehicle": 0, "total": 0]][e.subject.kind, default: 0] += 1
            byEnterprise[ent ?? "none"]?["total", default: 0] += 1
            guard list else { continue }
            let last = state(of: e.subject)?.lastPositionTime
            let tracked = last.map { $0 >= e.since } ?? false
            var o: [String: Value] = [
                "kind": .string(e.subject.kind), "id": .string(e.subject.id), "name": .optional(d.name),
                "enterprise": .optional(ent), "since": .time(e.since), "gate": .string(e.gate), "tag": .optional(e.tag),
                "booking": .optional(e.booking), "decision": .string(e.decision), "tracked": .bool(tracked),
            ]
            if e.tagIssued { o["tag_issued"] = true }
            if let last { o["last_position_t"] = .time(last) }
            if alarms.isRaised(.untracked, .init(e.subject)) { o["untracked"] = true }
            subjects.append(.compact(o))
        }
        func flagged(_ k: ViolationKind) -> [Value] {
            alarms.active.values.filter { $0.kind == k }
                .filter { kind == nil || $0.subject.kind == kind }
                .filter { enterprise == nil || $0.subject.enterprise == enterprise }
                .filter { id == nil || $0.subject.id == id || $0.subject.id == plateID }
                .sorted { ($0.subject.kind, $0.subject.id) < ($1.subject.kind, $1.subject.id) }
                .map { .compact(["kind": .string($0.subject.kind), "id": .string($0.subject.id), "name": .optional($0.subject.name),
                                 "since": .time($0.time), "alarm": .string($0.id)]) }
        }
        var reply: [String: Value] = [
            "t": .time(now), "total": .int(total), "by_kind": .object(byKind.mapValues { .int($0) }),
            "by_enterprise": .object(byEnterprise.mapValues { .object($0.mapValues { .int($0) }) }),
            "untracked": .array(flagged(.untracked)), "no_entry_record": .array(flagged(.noEntryRecord)),
        ]
        if list { reply["subjects"] = .array(subjects) }
        return reply
    }

    // MARK: - Control: bookings

    /// `booking.create`: validated against the site; an `id` is assigned when none is given.
    /// Sending the same booking again (same id, same content) is answered as the first time.
    func bookingCreate(_ r: Value, at t: Instant) throws(RequestError) -> ControlResult {
        guard case .object = r else { throw .invalid("a booking is a JSON object") }
        let given = try RegistryRecords.string(r["id"], "'id'")
        if let given, given.isEmpty { throw .invalid("'id' must not be empty") }
        let id = given ?? gatehouse.bookings.newID()
        let booking = try BookingRecords.booking(r, id: id, site: site, now: t)
        if let old = gatehouse.bookings[id] {
            var same = booking
            same.createdAt = old.createdAt
            same.status = old.status
            same.usedAt = old.usedAt
            same.cancelledAt = old.cancelledAt
            guard same == old else {
                throw .conflict("booking '\(id)' exists with other details; cancel it and book again, or use another id")
            }
            return ControlResult(reply: .success(["booking": old.value, "created": false]))
        }
        gatehouse.bookings.put(booking)
        return ControlResult(reply: .success(["booking": booking.value, "created": true]),
                             effects: [.bookingStored(booking)])
    }

    /// `booking.cancel`: `{"id":…}`. A booking whose trip has begun cannot be cancelled.
    func bookingCancel(id: String, at t: Instant) throws(RequestError) -> ControlResult {
        guard var b = gatehouse.bookings[id] else { throw .notFound("no booking '\(id)'; booking.list lists them") }
        switch b.status {
        case .cancelled:
            return ControlResult(reply: .success(["booking": b.value]))
        case .used:
            throw .conflict("booking '\(id)' was used by the entry at \(b.usedAt?.rfc3339 ?? "?"); a trip under way cannot be cancelled")
        case .active:
            b.status = .cancelled
            b.cancelledAt = t
            gatehouse.bookings.put(b)
            return ControlResult(reply: .success(["booking": b.value]), effects: [.bookingStored(b)])
        }
    }

    /// `booking.list`: every booking, by window start; filters `plate`, `gate`, `status`.
    func bookingList(_ f: BookingFilter) -> [String: Value] {
        let list = gatehouse.bookings.bookings.values
            .filter { f.plate == nil || $0.plate == f.plate }
            .filter { f.gate == nil || $0.gate == f.gate }
            .filter { f.status == nil || $0.status == f.status }
            .sorted { ($0.window.from, $0.id) < ($1.window.from, $1.id) }
        return ["bookings": .array(list.map(\.value)), "count": .int(list.count)]
    }
}
