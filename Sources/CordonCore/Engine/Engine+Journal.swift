/// The journal of live state (EngineJournal.swift): which subjects and rule state changed since
/// they were last handed out for storing. Pure: the engine only says what to store.
extension Engine {
    /// Hands out what changed since the last drain; nil when nothing did. `periodic` also hands
    /// out subjects that only moved, and the clock-like state (unknown tags, gates' last events).
    public func drainJournal(periodic: Bool = false) -> EngineJournal? {
        journal.grow(to: states.count)
        var changed: [EngineSnapshot.Subject] = []
        if journal.touchedAll {
            for slot in states.indices { look(at: slot, into: &changed) }
        } else {
            for slot in journal.touched { look(at: slot, into: &changed) }
        }
        for slot in journal.touched { journal.isTouched[slot] = false }
        journal.touched.removeAll(keepingCapacity: true)
        journal.touchedAll = false
        var moved: [EngineSnapshot.Subject] = []
        if periodic && journal.anyFresh {
            for slot in states.indices where journal.fresh[slot] {
                journal.fresh[slot] = false
                moved.append(subjectRow(slot: slot))
            }
            journal.anyFresh = false
        }
        let g = journalGlobals()
        var globals: EngineSnapshot?
        if journal.globals?.lasting != g.lasting || (periodic && journal.globals?.fresh != g.fresh) {
            journal.globals = g
            var s = snapshot(withSubjects: false)
            s.subjects = []
            globals = s
        }
        guard !changed.isEmpty || !moved.isEmpty || globals != nil else { return nil }
        journal.sequence += 1
        return EngineJournal(sequence: journal.sequence, changed: changed, moved: moved, globals: globals)
    }

    /// Everything is looked at on the next drain (after a control request, a restore, a reload).
    public func journalTouchAll() { journal.touchedAll = true }

    /// Something may need storing: a drain would look at least at one subject.
    public var journalHasChanges: Bool { journal.hasChanges }

    private func look(at slot: Int, into changed: inout [EngineSnapshot.Subject]) {
        guard isKept(slot: slot) else { return }
        let sig = lastingSignature(slot: slot)
        if sig != journal.signatures[slot] {
            journal.signatures[slot] = sig
            journal.fresh[slot] = false
            changed.append(subjectRow(slot: slot))
        } else {
            journal.fresh[slot] = true
            journal.anyFresh = true
        }
    }

    /// A cheap digest of what a restart must not lose about a subject (not where it stands:
    /// that goes out with the periodic drain). Multiply-add rather than `Hasher`: it runs for
    /// every position.
    func lastingSignature(slot: Int) -> Int {
        let s = states[slot]
        @inline(__always) func mix(_ h: inout Int, _ v: Int) { h = h &* 1_099_511_628_211 &+ v }
        @inline(__always) func time(_ t: Instant?) -> Int { t.map { Int(truncatingIfNeeded: $0.milliseconds) } ?? -1 }
        var h = s.stays.count &+ 17
        for st in s.stays {
            mix(&h, st.zone)
            mix(&h, time(st.since))
            mix(&h, st.level)
        }
        mix(&h, s.pending.count)
        for p in s.pending {
            mix(&h, p.zone)
            mix(&h, time(p.since))
        }
        mix(&h, time(s.stillSince))
        mix(&h, time(s.pendingFall))
        mix(&h, s.lowBattery ? 1 : 0)
        mix(&h, s.tag?.hashValue ?? 0)
        if let v = vehicleTracks[slot] {
            mix(&h, time(v.overSince))
            mix(&h, time(v.slowSince))
            mix(&h, time(v.offRouteSince))
            mix(&h, v.atDestination ? 1 : 0)
            mix(&h, v.lot?.hashValue ?? 0)
            mix(&h, time(v.lotSince))
            mix(&h, time(v.onSiteSince))
        }
        return h
    }

    func journalGlobals() -> EngineJournal.Globals {
        .init(
            lasting: .init(alone: loneWorkers.alone, crowded: crowding.episodes, below: understaffed.below,
                           unguarded: guardians.unguarded, parked: parkingLots.occupants, permits: permits,
                           journeys: journeys, pastMusters: pastMusters),
            fresh: .init(unknownTags: unknownTags.lastSeen, gates: gateLastTime))
    }

    /// Marks the subject a timer is about as touched; a timer about no one subject marks all.
    func journalTouch(_ event: TimerQueue.Event) {
        switch event {
        case .overstay(let slot, _, _), .offline(let slot, _), .manDown(let slot, _), .fall(let slot, _),
             .authorisationEnds(let slot, _), .vehicleStop(let slot, _), .vehicleStay(let slot, _),
             .arrivalDeadline(let slot, _):
            journal.touch(slot)
        case .permitBoundary, .zoneCheck, .staffedBoundary, .guardian, .musterProgress, .musterDwell:
            journal.touchedAll = true
        }
    }
}
