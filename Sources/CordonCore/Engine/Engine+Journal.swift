import Geometry

/// The journal of live state (EngineJournal.swift): which subjects and rule state changed since
/// they were last handed out for storing. Pure: the engine only says what to store.
extension Engine {
    /// Hands out what changed since the last drain; nil when nothing did. `periodic` also hands
    /// out subjects that only moved, and the clock-like state (unknown tags, gates' last events).
    public func drainJournal(periodic: Bool = false) -> EngineJournal? {
        // Worked on out of the engine, so that the loop pays no exclusivity check per access
        // and no copy on write.
        var j = JournalTracker()
        swap(&j, &journal)
        defer { swap(&j, &journal) }
        j.grow(to: states.count)
        var changed: [EngineSnapshot.Subject] = []
        if j.touchedAll {
            for slot in states.indices { look(at: slot, into: &changed, &j) }
        } else {
            for slot in j.touched { look(at: slot, into: &changed, &j) }
        }
        for slot in j.touched { j.isTouched[slot] = false }
        j.touched.removeAll(keepingCapacity: true)
        j.touchedAll = false
        var moved: [EngineSnapshot.Subject] = []
        var movements: [EngineJournal.Movement] = []
        var newSlots: [(slot: Int, key: SubjectKey)] = []
        if periodic {
            if j.namedSlots < states.count {
                newSlots = (j.namedSlots..<states.count).map { ($0, states[$0].key) }
                j.namedSlots = states.count
            }
            if j.anyFresh {
                for slot in states.indices where j.fresh[slot] {
                    j.fresh[slot] = false
                    if vehicleTracks[slot] != nil {
                        moved.append(subjectRow(slot: slot))
                    } else {
                        movements.append(.init(slot: slot, lastTime: states[slot].lastTime, lastPositionTime: states[slot].lastPositionTime,
                                               x: states[slot].point.x, y: states[slot].point.y, level: states[slot].level,
                                               battery: states[slot].lastBattery))
                    }
                }
                j.anyFresh = false
            }
        }
        let g = journalGlobals()
        var globals: EngineSnapshot?
        if j.globals?.lasting != g.lasting || (periodic && j.globals?.fresh != g.fresh) {
            j.globals = g
            globals = snapshot(withSubjects: false)
        }
        guard !changed.isEmpty || !moved.isEmpty || !movements.isEmpty || !newSlots.isEmpty || globals != nil else { return nil }
        j.sequence += 1
        return EngineJournal(sequence: j.sequence, changed: changed, moved: moved, movements: movements, newSlots: newSlots, globals: globals)
    }

    /// Everything is looked at on the next drain (after a control request, a restore, a reload).
    public func journalTouchAll() { journal.touchedAll = true }

    /// Something may need storing: a drain would look at least at one subject.
    public var journalHasChanges: Bool { journal.hasChanges }

    private func look(at slot: Int, into changed: inout [EngineSnapshot.Subject], _ j: inout JournalTracker) {
        guard states[slot].hasPosition || states[slot].pendingFall != nil else { return }
        let sig = lastingSignature(slot: slot)
        if sig != j.signatures[slot] {
            j.signatures[slot] = sig
            j.fresh[slot] = false
            changed.append(subjectRow(slot: slot))
        } else {
            j.fresh[slot] = true
            j.anyFresh = true
        }
    }

    /// A cheap digest of what a restart must not lose about a subject (not where it stands:
    /// that goes out with the periodic drain). Multiply-add rather than `Hasher`: it runs for
    /// every position.
    func lastingSignature(slot: Int) -> Int {
        @inline(__always) func mix(_ h: inout Int, _ v: Int) { h = h &* 1_099_511_628_211 &+ v }
        @inline(__always) func time(_ t: Instant?) -> Int { t.map { Int(truncatingIfNeeded: $0.milliseconds) } ?? -1 }
        return states.withUnsafeBufferPointer { all in
            let s = all.baseAddress.unsafelyUnwrapped.advanced(by: slot)
            var h = s.pointee.stays.count &+ 17
            for st in s.pointee.stays {
                mix(&h, st.zone)
                mix(&h, time(st.since))
                mix(&h, st.level)
            }
            mix(&h, s.pointee.pending.count)
            for p in s.pointee.pending {
                mix(&h, p.zone)
                mix(&h, time(p.since))
            }
            mix(&h, time(s.pointee.stillSince))
            mix(&h, time(s.pointee.pendingFall))
            mix(&h, s.pointee.lowBattery ? 1 : 0)
            mix(&h, s.pointee.tag?.utf8.count ?? -1)
            if case .vehicle = s.pointee.key, let v = vehicleTracks[slot] {
                mix(&h, time(v.overSince))
                mix(&h, time(v.slowSince))
                mix(&h, time(v.offRouteSince))
                mix(&h, v.atDestination ? 1 : 0)
                mix(&h, v.lot?.utf8.count ?? -1)
                mix(&h, time(v.lotSince))
                mix(&h, time(v.onSiteSince))
            }
            return h
        }
    }

    func journalGlobals() -> EngineJournal.Globals {
        .init(
            lasting: .init(alone: loneWorkers.alone, crowded: crowding.episodes, below: understaffed.below,
                           unguarded: guardians.unguarded, parked: parkingLots.occupants, permits: permits,
                           journeys: journeys, pastMusters: pastMusters),
            fresh: .init(unknownTags: unknownTags.lastSeen, gates: gateLastTime))
    }

    /// Marks the subject a timer is about as touched.
    func journalTouch(_ event: TimerQueue.Event) {
        switch event {
        case .overstay(let slot, _, _), .offline(let slot, _), .manDown(let slot, _), .fall(let slot, _),
             .authorisationEnds(let slot, _), .vehicleStop(let slot, _), .vehicleStay(let slot, _),
             .arrivalDeadline(let slot, _):
            journal.touch(slot)
        case .permitBoundary, .zoneCheck, .staffedBoundary, .guardian, .musterProgress, .musterDwell, .positioningWindow:
            // These change rule state outside subjects (compared whole at the drain) and alarms
            // (stored with the frame), never a subject's zones, stillness or fall.
            break
        }
    }
}
