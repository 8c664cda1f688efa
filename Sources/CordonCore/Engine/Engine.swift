import Geometry

/// The heart of Cordon: a deterministic state machine with two doors.
///
/// `handle(_:)` takes one ingest message, `advance(to:)` moves the clock; both return what
/// to publish, in order. The engine owns all live state — where each subject is, who is in
/// each zone, the raised alarms — and does no I/O: no sockets, no clock, no disk. `serve`
/// feeds it from sockets and the wall clock, `replay` from a file and the events' own time,
/// and the same input always gives the same output.
///
/// Not thread-safe by design: one thread owns it.
public final class Engine {
    /// The outcome of one ingest message.
    public enum Disposition: Equatable, Sendable {
        case accepted
        /// Older than the newest event already accepted for its subject: dropped.
        case late
        case rejected(RejectReason)
    }

    var context: RuleContext
    /// The engine's clock: the newest instant it has been advanced to.
    public internal(set) var now: Instant
    /// Where the clock comes from and goes to while `advanceClock` fires the timers on the way,
    /// so that a periodic timer can skip the middle of a long jump (Engine+Periodic.swift).
    var clockMove: (from: Instant, to: Instant)?
    var states: [SubjectState] = []
    var slots: [SubjectKey: Int] = [:]
    /// Source id → subject slot or reference tag: a position costs one look-up (SourceDirectory.swift).
    var sources = SourceDirectory()
    var gateLastTime: [String: Instant] = [:]
    /// Presence ledger, bookings, and the gate records to make durable (Engine+Gates.swift).
    var gatehouse = Gatehouse()
    var membership = ZoneMembership()
    var occupancy = ZoneOccupancy()
    var timers = TimerQueue()
    public internal(set) var permits = PermitBook()
    var unknownTags = UnknownTagRule()
    var loneWorkers = LoneWorkerRule()
    var guardians = GuardianRule()
    var crowding = CrowdingRule()
    var understaffed = UnderstaffedRule()
    /// Staffed zones are first looked at when the clock first moves.
    var startedStaffing = false
    /// Permits' guardians are looked at again when the clock next moves (after a restore or reload).
    var guardianRecheckPending = false
    /// Motion of each vehicle, by slot.
    var vehicleTracks: [Int: VehicleTrack] = [:]
    var parkingLots = ParkingRule()
    /// Each booking's trip through the park.
    var journeys: [String: Journey] = [:]
    /// The roll-call running now, if any.
    public internal(set) var muster: MusterSession? {
        didSet { musterRunning = muster != nil }
    }
    /// Whether a roll-call runs: what every position asks, without copying the session.
    private(set) var musterRunning = false
    /// Summaries of ended musters, newest last (the store keeps the full reports).
    var pastMusters: [Value] = []
    /// Per-zone positioning figures for the accuracy report (Engine+Positioning.swift).
    public internal(set) var quality = PositioningQuality()
    var degraded = PositioningDegradedRule()
    /// Each reference tag's newest fix (reference tags have no subject state).
    var referenceLast: [String: Instant] = [:]
    /// What changed since it was last handed out for storing (Engine+Journal.swift).
    var journal = JournalTracker()

    /// Creates an engine for a site and a registry, with its clock at `start`.
    public init(site: Site, registry: Registry = Registry(), start: Instant = Instant(milliseconds: 0)) {
        self.context = RuleContext(site: site, registry: registry)
        self.now = start
    }

    public var site: Site { context.site }
    public var registry: Registry { context.registry }
    public var alarms: AlarmBook { context.alarms }

    // MARK: - The two doors

    /// Handles one ingest message; the clock first advances to its time if it is newer.
    /// Returns everything the message caused, in one value.
    public func handle(_ message: IngestMessage) -> Handled {
        let t = message.time
        if t > now { advanceClock(to: t) }
        acceptedSlot = nil
        let d: Disposition
        switch message {
        case .position(let p): d = handlePosition(p)
        case .alert(let a): d = handleAlert(a)
        // A passage changes the gate record (stored with the passage itself) and rule state
        // outside subjects (compared whole by the journal), not a subject's zones or timers.
        case .gate(let g): d = handleGate(g)
        }
        return Handled(disposition: d, outputs: collect(), gateRecords: takeGateRecords(),
                       track: reportsTracks ? acceptedSlot.map(trackSummary(slot:)) : nil)
    }

    /// Moves the clock to `t`, firing every timed condition that falls due on the way.
    public func advance(to t: Instant) -> [Output] {
        if t >= now { advanceClock(to: t, inclusive: true) }
        return collect()
    }

    /// What to publish, with each raise against a booked truck noted in its journey.
    func collect() -> [Output] {
        let out = context.alarms.drain()
        guard !journeys.isEmpty else { return out }
        for case .violation(let v) in out where v.state == .raised && v.subject.kind == "vehicle" {
            if let b = activeBooking(v.subject.id) { journeys[b.id]?.violations.append("\(v.kind.rawValue) \(v.id)") }
        }
        return out
    }

    /// Fires every timer due before `t` (and at `t` when `inclusive`), in time order, with the
    /// clock standing at each one's instant, then sets the clock to `t`.
    func advanceClock(to t: Instant, inclusive: Bool = false) {
        if !startedStaffing {
            startedStaffing = true
            startStaffing(at: max(now, t))
        }
        clockMove = (now, t)
        defer { clockMove = nil }
        while let (due, event) = timers.popDue(by: t, inclusive: inclusive) {
            if due > now { now = due }
            journalTouch(event)
            unknownTags.advance(to: due, offlineAfterS: site.settings.offlineAfterS, context: &context)
            fire(event, at: due)
        }
        unknownTags.advance(to: t, offlineAfterS: site.settings.offlineAfterS, context: &context)
        advanceGates(to: t)
        if t > now { now = t }
    }

    // MARK: - Positions

    private func handlePosition(_ r: PositionReport) -> Disposition {
        let point: LocalPoint
        switch site.locate(r.place) {
        case .success(let p): point = p
        case .failure(let reason): return .rejected(reason)
        }
        if let a = r.accuracyM, !(a >= 0 && a <= PositionReport.maxAccuracyM) {
            return .rejected(.invalidValue("accuracy_m", "must be between 0 and \(Int(PositionReport.maxAccuracyM)) metres"))
        }
        if let v = r.speedKmh, !(v >= 0 && v <= PositionReport.maxSpeedKmh) {
            return .rejected(.invalidValue("speed_kmh", "must be between 0 and \(Int(PositionReport.maxSpeedKmh)) km/h"))
        }
        let slot: Int
        switch entry(for: r.source, at: r.time) {
        case .subject(let s): slot = s
        case .reference(let id):
            if let ref = context.registry.references[id] { return referenceFix(ref, r, at: point) }
            // Removed without the directory being told: looked up afresh (it is a reference no more).
            sources.forget(r.source)
            return handlePosition(r)
        }
        if r.time < states[slot].lastTime { return .late }
        journal.touch(slot)
        let key = states[slot].key
        let previous = states[slot].lastPositionTime
        states[slot].lastTime = r.time
        states[slot].lastPositionTime = r.time
        states[slot].point = point
        states[slot].level = r.level
        if case .tag(let t) = r.source { states[slot].tag = t }
        if let a = r.accuracyM { states[slot].accuracyM = a }

        states[slot].insideFence = site.fence.covers(point)
        let accuracy = site.accuracy(of: r)
        let change = membership.update(&states[slot], site: site, at: point, level: r.level, time: r.time, accuracy: accuracy)
        positioningObserved(slot: slot, accuracy: accuracy, previous: previous, change: change, at: r.time)
        gatesPositioned(slot: slot, key: key, at: r.time, point: point, level: r.level)
        if case .tag(let tag) = key, !unknownTags.isFlagged(tag) {
            unknownTags.seen(tag: tag, at: r.time, position: context.position(point, level: r.level), context: &context)
        } else if case .tag(let tag) = key {
            unknownTags.seen(tag: tag, at: r.time, position: nil, context: &context)
        }
        if !change.isEmpty { zonesChanged(slot: slot, change: change, at: r.time) }
        if case .vehicle = key { afterVehicleFix(slot: slot, report: r, inside: change) }
        afterPosition(slot: slot, report: r)
        acceptedSlot = slot
        return .accepted
    }

    /// True when an active work permit for the zone names the person as worker or guardian.
    func hasWorkPermit(_ key: SubjectKey, zone: Zone, at t: Instant) -> Bool {
        guard case .person(let id) = key else { return false }
        return permits.covers(person: id, zone: zone.id, at: t)
    }

    // MARK: - Alerts (gates: Engine+Gates.swift)

    private func handleAlert(_ a: TagAlert) -> Disposition {
        let slot = self.slot(for: SourceID.tag(a.tag), at: a.time)
        if a.time < states[slot].lastTime { return .late }
        journal.touch(slot)
        states[slot].lastTime = a.time
        alert(slot: slot, a)
        return .accepted
    }

    // MARK: - Subjects

    /// Who a source id stands for right now.
    public func subjectKey(for source: SourceID) -> SubjectKey {
        switch source {
        case .tag(let t): return context.registry.owner(ofTag: t) ?? .tag(t)
        case .plate(let p): return .vehicle(PlateNumber.normalize(p))
        }
    }

    /// What a position's source stands for: looked up once, then kept until the registry changes.
    private func entry(for source: SourceID, at t: Instant) -> SourceDirectory.Entry {
        if let e = sources[source] { return e }
        let e: SourceDirectory.Entry
        if case .tag(let tag) = source, let ref = context.registry.reference(ofTag: tag) {
            e = .reference(ref.id)
        } else {
            e = .subject(slot(for: subjectKey(for: source), at: t))
        }
        sources[source] = e
        return e
    }

    /// The subject slot of an alert's source. Not kept in the directory: an alert from a
    /// reference tag (a button pressed on a surveyed tag) is that tag's own, and must not make
    /// its positions count as a subject's.
    private func slot(for source: SourceID, at t: Instant) -> Int {
        if case .subject(let s) = sources[source] { return s }
        return slot(for: subjectKey(for: source), at: t)
    }

    func slot(for key: SubjectKey, at t: Instant) -> Int {
        if let s = slots[key] { return s }
        states.append(SubjectState(key: key, time: Instant(milliseconds: Int64.min)))
        slots[key] = states.count - 1
        return states.count - 1
    }

    /// The state of a subject, if it has been seen.
    public func state(of key: SubjectKey) -> SubjectState? { slots[key].map { states[$0] } }

    /// Whether ``handle(_:)`` says where each accepted position left its subject
    /// (``Handled/track``): on when someone keeps tracks (the service's history, the live
    /// map); off by default, so that `replay` does not pay for summaries no one reads.
    public var reportsTracks = false

    /// The slot of the subject whose position the last ``handle(_:)`` accepted; nil when that
    /// message was not an accepted position of a subject.
    private(set) var acceptedSlot: Int?

    /// What the track history and the live map keep of the subject in `slot`.
    func trackSummary(slot: Int) -> TrackSummary {
        let stays = states[slot].stays
        let sig = stays.reduce(stays.count) { $0 &* 31 &+ $1.zone }
        return TrackSummary(key: states[slot].key, slot: slot, point: states[slot].point, level: states[slot].level,
                            zoneSignature: sig, firstZoneID: stays.first.map { site.zones[$0.zone].id })
    }

    /// Number of subjects tracked.
    public var trackedCount: Int { states.count }

    /// The registry changed: tags may point elsewhere now.
    func registryChanged() { sources.removeAll() }

    /// Replaces the site (after `site.reload`): stays are re-evaluated at each subject's next
    /// position; zones that no longer exist are left.
    public func replace(site newSite: Site) -> [Output] {
        let old = site
        quality.fold()
        context.site = newSite
        occupancy.removeAll()
        for i in states.indices {
            var kept: [SubjectState.Stay] = []
            for stay in states[i].stays {
                let oldZone = old.zones[stay.zone]
                if let z = newSite.zone(oldZone.id) {
                    let moved = SubjectState.Stay(zone: z.index, since: stay.since, level: stay.level)
                    kept.append(moved)
                    if case .person(let id) = states[i].key { occupancy.add(id, zone: moved.zone, level: moved.level) }
                } else if case .person = states[i].key {
                    RestrictedZoneRule.exited(states[i].key, zone: oldZone, at: now,
                                              position: context.position(states[i].point, level: states[i].level),
                                              context: &context)
                }
            }
            states[i].stays = kept
            states[i].pending = []
            states[i].undecided = []
        }
        // Rule state keyed by zone position starts over on the new site; conditions that are
        // still true are found again (and, being raised already, not published twice).
        let moved: [Int: Int] = Dictionary(uniqueKeysWithValues: old.zones.compactMap { z in newSite.zone(z.id).map { (z.index, $0.index) } })
        loneWorkers.remap(moved)
        crowding.remap(moved)
        understaffed.remap(moved)
        degraded.reset()
        for v in context.alarms.active.values.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }) {
            guard let z = v.zoneID, newSite.zone(z) == nil, v.kind != .restrictedZone else { continue }
            guard let k = context.alarms.key(of: v) else { continue }
            context.alarms.clear(k, at: now, details: v.details.merging(["ended": "zone removed from the site"]) { _, n in n })
        }
        rebuildTimers()
        journalTouchAll()
        for slot in states.indices where states[slot].key.kind == "person" {
            for stay in states[slot].stays where site.zones[stay.zone].access == .permit { checkAccess(slot: slot, stay: stay, at: now) }
        }
        return context.alarms.drain()
    }
}
