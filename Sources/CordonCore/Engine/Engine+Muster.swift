import Geometry

/// Emergency mustering (应急点名) on the control socket and in the position stream:
/// `muster.start`, `muster.status`, `muster.mark`, `muster.end`, `muster.list`.
extension Engine {
    // MARK: control ops

    func musterStart(_ r: MusterStart, at t: Instant) throws(RequestError) -> ControlResult {
        if let m = muster {
            throw .conflict("muster \(m.id) (\(m.mode.rawValue)) has been running since \(m.startedAt.rfc3339); end it with muster.end first")
        }
        let scope = r.scope
        if let unknown = scope.first(where: { site.zone($0) == nil && site.enterprises[$0] == nil }) {
            throw .notFound("'\(unknown)' in the scope is neither a zone nor an enterprise of site \(site.id)")
        }
        let id = r.id ?? "MU-" + t.rfc3339.filter { $0.isNumber }.prefix(14)
        var m = MusterSession(id: id, mode: r.mode, scope: scope, startedBy: r.by, startedAt: t, roster: [:])
        for person in rosterCandidates(scope: scope, at: t) {
            m.roster[person] = .init(person: person, lateEntry: false, addedAt: t)
        }
        muster = m
        context.alarms.publish(.muster(.started, body: .object(startedBody(m, at: t)), time: t))
        // Whoever already stands in a muster point starts their dwell now.
        for person in m.roster.keys.sorted() {
            if let slot = slots[.person(person)] { musterObserve(slot: slot, at: t) }
        }
        context.alarms.publish(progressEvent(at: t))
        timers.schedule(.musterProgress(id: id), at: t.adding(seconds: site.settings.musterProgressS))
        return ControlResult(reply: .success(["muster": .object(startedBody(m, at: t))]), outputs: context.alarms.drain(),
                             effects: [.stateChanged])
    }

    /// The running muster's status as `muster.status` gives it; nil when none runs.
    public func musterStatusValue(at t: Instant) -> Value? {
        muster.map { .object(MusterReport.full($0, at: t, site: site.id, lastSeen: lastSeen, registry: registry)) }
    }

    func musterStatus(at t: Instant) throws(RequestError) -> [String: Value] {
        guard let m = muster else { throw .notFound("no muster is running; muster.list shows past ones") }
        return ["muster": .object(MusterReport.full(m, at: t, site: site.id, lastSeen: lastSeen, registry: registry))]
    }

    func musterMark(_ r: MusterMark, at t: Instant) throws(RequestError) -> ControlResult {
        guard var m = muster else { throw .notFound("no muster is running") }
        let person = r.person
        if m.roster[person] == nil {
            guard registry.people[person] != nil else { throw .notFound("no person '\(person)' in the registry") }
            m.roster[person] = .init(person: person, lateEntry: true, addedAt: t)
        }
        if let at = m.roster[person]?.accountedAt {
            throw .conflict("\(person) was already accounted for at \(at.rfc3339)")
        }
        m.roster[person]?.accountedAt = t
        m.roster[person]?.point = r.point
        m.roster[person]?.markedBy = r.by
        m.roster[person]?.note = r.note
        muster = m
        context.alarms.publish(accountedEvent(person, at: t))
        context.alarms.publish(progressEvent(at: t))
        return ControlResult(reply: .success(["muster": .object(MusterReport.progress(m, at: t, site: site.id))]),
                             outputs: context.alarms.drain(), effects: [.stateChanged])
    }

    func musterEnd(by: String?, at t: Instant) throws(RequestError) -> ControlResult {
        guard var m = muster else { throw .notFound("no muster is running") }
        m.endedAt = t
        m.endedBy = by
        var report = MusterReport.full(m, at: t, site: site.id, lastSeen: lastSeen, registry: registry)
        report["id"] = .string(m.id)
        muster = nil
        pastMusters.append(.compact([
            "id": .string(m.id), "mode": .string(m.mode.rawValue), "started_at": .time(m.startedAt), "ended_at": .time(t),
            "started_by": .optional(m.startedBy), "ended_by": .optional(m.endedBy), "total": .int(m.total),
            "accounted": .int(m.accountedCount), "missing": .int(m.total - m.accountedCount),
            "time_to_90_s": report["time_to_90_s"] ?? .null, "time_to_100_s": report["time_to_100_s"] ?? .null,
        ]))
        if pastMusters.count > 100 { pastMusters.removeFirst(pastMusters.count - 100) }
        context.alarms.publish(.muster(.ended, body: .object(report), time: t))
        return ControlResult(reply: .success(["report": .object(report)]), outputs: context.alarms.drain(),
                             effects: [.stateChanged, .musterEnded(id: m.id, report: .object(report))])
    }

    func musterList() -> [String: Value] {
        var list = pastMusters
        if let m = muster {
            list.append(.compact(["id": .string(m.id), "mode": .string(m.mode.rawValue), "started_at": .time(m.startedAt),
                                  "running": true, "total": .int(m.total), "accounted": .int(m.accountedCount)]))
        }
        return ["musters": .array(list)]
    }

    // MARK: the position stream and the clock

    /// A person's position during a muster: add them if new to the scope, account for them
    /// once they have stood in a muster point for the dwell time.
    func musterObserve(slot: Int, at t: Instant) {
        guard var m = muster, case .person(let id) = states[slot].key else { return }
        let s = states[slot]
        if m.roster[id] == nil {
            guard inScope(s, person: id, scope: m.scope) else { return }
            m.roster[id] = .init(person: id, lateEntry: true, addedAt: t)
        }
        guard var e = m.roster[id], !e.isAccounted else { muster = m; return }
        let point = site.musterPoints.values.sorted { $0.id < $1.id }.first { $0.shape.contains(s.point) }
        if let point {
            if e.arrivingAt != point.id {
                e.arrivingAt = point.id
                e.arrivingSince = t
                timers.schedule(.musterDwell(id: m.id), at: t.adding(seconds: site.settings.musterDwellS))
            }
            if let since = e.arrivingSince, t.seconds(since: since) >= site.settings.musterDwellS {
                e.accountedAt = t
                e.point = point.id
            }
        } else {
            e.arrivingAt = nil
            e.arrivingSince = nil
        }
        m.roster[id] = e
        muster = m
        if e.isAccounted {
            context.alarms.publish(accountedEvent(id, at: t))
            context.alarms.publish(progressEvent(at: t))
        }
    }

    /// The muster timer: dwell times that completed with no new position, and periodic progress.
    func musterTick(id: String, at t: Instant, periodic: Bool) {
        guard var m = muster, m.id == id else { return }
        var accountedNow = false
        for person in m.roster.keys.sorted() {
            guard var e = m.roster[person], !e.isAccounted, let since = e.arrivingSince, let point = e.arrivingAt,
                  t.seconds(since: since) >= site.settings.musterDwellS else { continue }
            e.accountedAt = since.adding(seconds: site.settings.musterDwellS)
            e.point = point
            m.roster[person] = e
            muster = m
            accountedNow = true
            context.alarms.publish(accountedEvent(person, at: t))
        }
        if periodic || accountedNow { context.alarms.publish(progressEvent(at: t)) }
        if periodic { timers.schedule(.musterProgress(id: id), at: nextProgress(after: t)) }
    }

    /// The next periodic progress after the one at `t`: one interval on, but not for more than
    /// an hour into a jump of the clock; then once where the clock lands.
    func nextProgress(after t: Instant) -> Instant {
        let next = t.adding(seconds: site.settings.musterProgressS)
        return resumeAfterJump(next, keepFirstS: 3600, keepLastS: 0) ?? next
    }

    // MARK: helpers

    /// Everyone to find: people on site by gate record, and everyone positioned inside the
    /// scope within the offline window.
    func rosterCandidates(scope: [String], at t: Instant) -> [String] {
        var people = Set(peopleOnSiteByGate(scope: scope))
        for s in states {
            guard case .person(let id) = s.key, let last = s.lastPositionTime,
                  t.seconds(since: last) <= site.settings.offlineAfterS, inScope(s, person: id, scope: scope) else { continue }
            people.insert(id)
        }
        return people.sorted()
    }

    /// People recorded entering through a gate and not yet out, within the scope: for an
    /// enterprise, its people and anyone last positioned on its premises; for a zone, those
    /// last positioned in it.
    func peopleOnSiteByGate(scope: [String]) -> [String] {
        gatehouse.ledger.sorted.compactMap { e in
            guard case .person(let id) = e.subject else { return nil }
            if scope.isEmpty { return id }
            if let ent = registry.people[id]?.enterprise ?? e.enterprise, scope.contains(ent) { return id }
            if let slot = slots[e.subject], inScope(states[slot], person: id, scope: scope) { return id }
            return nil
        }
    }

    /// Someone came through a gate during a muster: they are on the roster from now on.
    func musterGateEntry(_ key: SubjectKey, at t: Instant) {
        guard var m = muster, case .person(let id) = key, m.roster[id] == nil else { return }
        let ent = registry.people[id]?.enterprise
        guard m.scope.isEmpty || ent.map({ m.scope.contains($0) }) == true else { return }
        m.roster[id] = .init(person: id, lateEntry: true, addedAt: t)
        muster = m
        context.alarms.publish(progressEvent(at: t))
    }

    func inScope(_ s: SubjectState, person: String, scope: [String]) -> Bool {
        guard s.hasPosition else { return false }
        if scope.isEmpty { return s.insideFence }
        for id in scope {
            if let z = site.zone(id), s.stay(in: z.index) != nil { return true }
            if let e = site.enterprises[id], e.shape.covers(s.point) { return true }
        }
        return false
    }

    func lastSeen(_ person: String) -> MusterReport.LastSeen {
        guard let slot = slots[.person(person)], states[slot].hasPosition else {
            return .init(person: person, position: nil, time: nil, zone: nil)
        }
        let s = states[slot]
        let zone = s.stays.map { site.zones[$0.zone] }.min { MusterReport.riskRank($0) < MusterReport.riskRank($1) }
        return .init(person: person, position: context.position(s.point, level: s.level), time: s.lastPositionTime, zone: zone)
    }

    func startedBody(_ m: MusterSession, at t: Instant) -> [String: Value] {
        .compactMembers([
            "id": .string(m.id), "muster": .string(m.id), "site": .string(site.id), "t": .time(t),
            "mode": .string(m.mode.rawValue), "scope": .array(m.scope.map(Value.string)), "by": .optional(m.startedBy),
            "total": .int(m.total), "roster": .array(m.roster.keys.sorted().map { .string($0) }),
        ])
    }

    func accountedEvent(_ person: String, at t: Instant) -> Output {
        guard let m = muster, let e = m.roster[person] else { return .muster(.accounted, body: .null, time: t) }
        let body: Value = .compact([
            "id": .string("\(m.id)/\(person)"), "muster": .string(m.id), "site": .string(site.id),
            "t": .time(e.accountedAt ?? t), "person": .string(person), "name": .optional(registry.people[person]?.name),
            "point": .optional(e.point), "marked_by": .optional(e.markedBy), "note": .optional(e.note),
            "late_entry": .bool(e.lateEntry), "accounted": .int(m.accountedCount), "total": .int(m.total),
        ])
        return .muster(.accounted, body: body, time: e.accountedAt ?? t)
    }

    func progressEvent(at t: Instant) -> Output {
        guard var m = muster else { return .muster(.progress, body: .null, time: t) }
        m.progressCount += 1
        muster = m
        var body = MusterReport.progress(m, at: t, site: site.id)
        body["id"] = .string("\(m.id)/progress/\(m.progressCount)")
        return .muster(.progress, body: .object(body), time: t)
    }
}
