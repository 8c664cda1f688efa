import Geometry

/// The engine's live state in a form that can be kept across a restart: where each subject
/// was, which zones they were in and since when, the engine clock.
///
/// Raised alarms are not in it: the store's alarm table is their record (a violation is stored
/// before it is published), and the engine takes them back with ``Engine/restore(alarms:)``.
public struct EngineSnapshot: Codable, Sendable, Equatable {
    public struct Subject: Codable, Sendable, Equatable {
        public var kind: String
        public var id: String
        public var lastTime: Instant
        public var lastPositionTime: Instant?
        public var x: Double
        public var y: Double
        public var level: Int
        public var tag: String?
        /// Zone id → entry time and floor.
        public var stays: [Stay]
        public var stillSince: Instant?
        public var battery: Double?
        /// Zones entered whose entry delay has not yet passed.
        public var pending: [Stay]?
        /// A fall alert waiting out its cancel window.
        public var pendingFall: Instant?
        public var lowBattery: Bool?
        /// A vehicle's motion: speed, stop, speeding and off-route episodes, parking lot.
        public var vehicle: VehicleTrack?

        /// Every member, for the journal's binary rows (read in another module).
        public init(
            kind: String, id: String, lastTime: Instant, lastPositionTime: Instant?, x: Double, y: Double, level: Int,
            tag: String?, stays: [Stay], stillSince: Instant?, battery: Double?, pending: [Stay]?, pendingFall: Instant?,
            lowBattery: Bool?, vehicle: VehicleTrack?
        ) {
            (self.kind, self.id, self.lastTime, self.lastPositionTime, self.x, self.y, self.level) = (kind, id, lastTime, lastPositionTime, x, y, level)
            (self.tag, self.stays, self.stillSince, self.battery, self.pending) = (tag, stays, stillSince, battery, pending)
            (self.pendingFall, self.lowBattery, self.vehicle) = (pendingFall, lowBattery, vehicle)
        }
    }

    /// A condition timed per zone (alone, crowded, understaffed), since when, and for whom.
    public struct ZoneEpisode: Codable, Sendable, Equatable {
        public var zone: String
        public var since: Instant
        public var person: String?
    }

    /// A worker inside their permit's zone with no guardian in reach, since when.
    public struct Unguarded: Codable, Sendable, Equatable {
        public var permit: String
        public var worker: String
        public var since: Instant
    }

    /// A vehicle in a parking lot, since when.
    public struct Parked: Codable, Sendable, Equatable {
        public var lot: String
        public var plate: String
        public var since: Instant
    }

    public struct Stay: Codable, Sendable, Equatable {
        public var zone: String
        public var since: Instant
        public var level: Int

        public init(zone: String, since: Instant, level: Int) {
            (self.zone, self.since, self.level) = (zone, since, level)
        }
    }

    public var version = 1
    public var now: Instant
    public var subjects: [Subject]
    public var unknownTags: [String: Instant]
    public var gates: [String: Instant]
    /// Work permits, running and recently ended.
    public var permits: [WorkPermit]?
    /// The muster running at the time, and summaries of past ones.
    public var muster: MusterSession?
    public var pastMusters: [Value]?
    /// Trucks' journeys by booking.
    public var journeys: [Journey]?
    /// Rule state kept by zone, so that a grace or a duration keeps running across a restart.
    public var alone: [ZoneEpisode]?
    public var crowded: [ZoneEpisode]?
    public var understaffed: [ZoneEpisode]?
    public var unguarded: [Unguarded]?
    public var parked: [Parked]?
}

extension Engine {
    /// The state to keep for a restart.
    public func snapshot() -> EngineSnapshot { snapshot(withSubjects: true) }

    func snapshot(withSubjects: Bool) -> EngineSnapshot {
        EngineSnapshot(
            now: now,
            subjects: withSubjects ? states.indices.filter { isKept(slot: $0) }.map { subjectRow(slot: $0) } : [],
            unknownTags: unknownTags.lastSeen,
            gates: gateLastTime,
            permits: permits.permits.values.sorted { $0.id < $1.id },
            muster: muster, pastMusters: pastMusters, journeys: journeys.values.sorted { $0.booking < $1.booking },
            alone: loneWorkers.alone.sorted { $0.key < $1.key }.map { .init(zone: site.zones[$0.key].id, since: $0.value.since, person: $0.value.person) },
            crowded: crowding.episodes.sorted { $0.key < $1.key }.map { .init(zone: site.zones[$0.key].id, since: $0.value.since) },
            understaffed: understaffed.below.sorted { $0.key < $1.key }.map { .init(zone: site.zones[$0.key].id, since: $0.value) },
            unguarded: guardians.unguarded.map { .init(permit: $0.key.permit, worker: $0.key.worker, since: $0.value) }
                .sorted { ($0.permit, $0.worker) < ($1.permit, $1.worker) },
            parked: parkingLots.occupants.flatMap { lot, plates in plates.map { .init(lot: lot, plate: $0.key, since: $0.value) } }
                .sorted { ($0.lot, $0.plate) < ($1.lot, $1.plate) })
    }

    /// Subjects worth keeping: those with a position, or a fall waiting for its cancel window.
    func isKept(slot: Int) -> Bool { states[slot].hasPosition || states[slot].pendingFall != nil }

    /// One subject as the snapshot (and the journal) keeps it.
    func subjectRow(slot: Int) -> EngineSnapshot.Subject {
        let s = states[slot]
        return EngineSnapshot.Subject(
            kind: s.key.kind, id: s.key.id, lastTime: s.lastTime, lastPositionTime: s.lastPositionTime,
            x: s.point.x, y: s.point.y, level: s.level, tag: s.tag,
            stays: s.stays.map { .init(zone: site.zones[$0.zone].id, since: $0.since, level: $0.level) },
            stillSince: s.stillSince, battery: s.lastBattery,
            pending: s.pending.isEmpty ? nil : s.pending.map { .init(zone: site.zones[$0.zone].id, since: $0.since, level: s.level) },
            pendingFall: s.pendingFall, lowBattery: s.lowBattery ? true : nil, vehicle: vehicleTracks[slot])
    }

    /// Takes back the state of a previous run. Stays in zones that the current site no longer
    /// has are dropped. Nothing is published.
    public func restore(_ snap: EngineSnapshot) {
        if snap.now > now { now = snap.now }
        for s in snap.subjects {
            let key: SubjectKey
            switch s.kind {
            case "person": key = .person(s.id)
            case "vehicle": key = .vehicle(s.id)
            default: key = .tag(s.id)
            }
            let slot = self.slot(for: key, at: s.lastTime)
            states[slot].lastTime = s.lastTime
            states[slot].lastPositionTime = s.lastPositionTime
            states[slot].point = LocalPoint(x: s.x, y: s.y)
            states[slot].level = s.level
            states[slot].tag = s.tag
            states[slot].stillSince = s.stillSince
            states[slot].stillAnchor = LocalPoint(x: s.x, y: s.y)
            states[slot].lastBattery = s.battery
            states[slot].insideFence = site.fence.covers(LocalPoint(x: s.x, y: s.y))
            states[slot].stays = s.stays.compactMap { st in
                site.zone(st.zone).map { SubjectState.Stay(zone: $0.index, since: st.since, level: st.level) }
            }
            states[slot].pending = (s.pending ?? []).compactMap { st in
                site.zone(st.zone).map { SubjectState.PendingEntry(zone: $0.index, since: st.since) }
            }
            states[slot].pendingFall = s.pendingFall
            if s.lowBattery == true { states[slot].lowBattery = true }
            if let v = s.vehicle { vehicleTracks[slot] = v }
            if case .person(let id) = key {
                for stay in states[slot].stays { occupancy.add(id, zone: stay.zone, level: stay.level) }
            }
        }
        restoreRuleState(snap)
        journalTouchAll()
        for (tag, t) in snap.unknownTags { unknownTags.restore(tag: tag, lastSeen: t) }
        for (g, t) in snap.gates { gateLastTime[g] = t }
        for p in snap.permits ?? [] { permits.put(p) }
        if let m = snap.muster { restore(muster: m) }
        pastMusters = snap.pastMusters ?? pastMusters
        for j in snap.journeys ?? [] { journeys[j.booking] = j }
        rebuildTimers()
    }

    /// Puts back a running muster (kept on its own by the service after every change, so that
    /// no accounting is lost between snapshots).
    public func restore(muster m: MusterSession?) {
        muster = m
        rebuildTimers()
    }

    /// Puts back the alarms that were raised and not cleared before a restart.
    public func restore(alarms: [Violation], acknowledgements: [String: AlarmBook.Acknowledgement] = [:]) {
        for v in alarms {
            context.alarms.restore(v, acknowledgement: acknowledgements[v.id])
            // Rules that remember what they raised must know it is up.
            if v.kind == .lowBattery, let slot = states.firstIndex(where: { $0.tag == v.subject.id }) {
                states[slot].lowBattery = true
            }
        }
    }
}

extension Engine {
    /// Rule state by zone: alone-since, crowding and understaffed episodes, unguarded workers,
    /// parked vehicles. Zones the current site no longer has are dropped.
    func restoreRuleState(_ snap: EngineSnapshot) {
        for a in snap.alone ?? [] {
            if let z = site.zone(a.zone), let p = a.person { loneWorkers.restore(zone: z.index, person: p, since: a.since) }
        }
        for e in snap.crowded ?? [] { if let z = site.zone(e.zone) { crowding.restore(zone: z.index, since: e.since) } }
        for e in snap.understaffed ?? [] { if let z = site.zone(e.zone) { understaffed.restore(zone: z.index, since: e.since) } }
        for u in snap.unguarded ?? [] { guardians.restore(.init(permit: u.permit, worker: u.worker), since: u.since) }
        for p in snap.parked ?? [] { parkingLots.restore(p.plate, in: p.lot, since: p.since) }
    }
}
