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
    }

    public struct Stay: Codable, Sendable, Equatable {
        public var zone: String
        public var since: Instant
        public var level: Int
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
}

extension Engine {
    /// The state to keep for a restart.
    public func snapshot() -> EngineSnapshot {
        EngineSnapshot(
            now: now,
            subjects: states.filter(\.hasPosition).map { s in
                EngineSnapshot.Subject(
                    kind: s.key.kind, id: s.key.id, lastTime: s.lastTime, lastPositionTime: s.lastPositionTime,
                    x: s.point.x, y: s.point.y, level: s.level, tag: s.tag,
                    stays: s.stays.map { .init(zone: site.zones[$0.zone].id, since: $0.since, level: $0.level) },
                    stillSince: s.stillSince, battery: s.lastBattery)
            },
            unknownTags: unknownTags.lastSeen,
            gates: gateLastTime,
            permits: permits.permits.values.sorted { $0.id < $1.id },
            muster: muster, pastMusters: pastMusters, journeys: journeys.values.sorted { $0.booking < $1.booking })
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
            states[slot].insideFence = site.boundary.covers(LocalPoint(x: s.x, y: s.y))
            states[slot].stays = s.stays.compactMap { st in
                site.zone(st.zone).map { SubjectState.Stay(zone: $0.index, since: st.since, level: st.level) }
            }
            if case .person(let id) = key {
                for stay in states[slot].stays { occupancy.add(id, zone: stay.zone, level: stay.level) }
            }
        }
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
