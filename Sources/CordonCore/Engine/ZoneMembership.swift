import Geometry

/// Zone entry and exit as PROTOCOL.md section 4 fixes them.
///
/// A subject enters a zone at its first position strictly inside (on the zone's level), or —
/// when the zone sets `enter_delay_s` — at the first position that completes that long a stay
/// inside. It leaves at its first position farther than the zone's `exit_tolerance_m` outside,
/// or on another floor. The tolerance is what keeps positioning jitter at an edge from making
/// alarms flap.
struct ZoneMembership {
    /// What one position changed.
    struct Change {
        var exited: [SubjectState.Stay] = []
        var entered: [SubjectState.Stay] = []
        var isEmpty: Bool { exited.isEmpty && entered.isEmpty }
    }

    /// Reused between calls so the hot path does not allocate.
    private var inside: [Int] = []

    /// Updates `state`'s stays for a position at `p` on `level` at `t`.
    mutating func update(_ state: inout SubjectState, site: Site, at p: LocalPoint, level: Int, time t: Instant) -> Change {
        var inside = self.inside
        self.inside = []
        defer { self.inside = inside }
        inside.removeAll(keepingCapacity: true)
        site.forEachZoneCandidate(at: p, within: 0) { idx in
            let z = site.zones[idx]
            if z.applies(toLevel: level), z.shape.contains(p) { inside.append(idx) }
        }
        if inside.count > 1 { inside.sort() }
        var change = Change()

        // Exits first: a subject crossing from one zone into its neighbour leaves, then enters.
        if !state.stays.isEmpty {
            var kept: [SubjectState.Stay] = []
            for stay in state.stays {
                let z = site.zones[stay.zone]
                let stillIn = z.applies(toLevel: level)
                    && (inside.contains(stay.zone) || z.shape.isWithinDistance(p, z.exitToleranceM))
                if stillIn { kept.append(stay) } else { change.exited.append(stay) }
            }
            if kept.count != state.stays.count { state.stays = kept }
        }
        // Pending entries lapse when the subject is no longer inside.
        if !state.pending.isEmpty {
            state.pending.removeAll { !inside.contains($0.zone) }
        }
        for idx in inside where state.stay(in: idx) == nil {
            let delay = site.zones[idx].enterDelayS
            if delay <= 0 {
                let s = SubjectState.Stay(zone: idx, since: t, level: level)
                state.stays.append(s)
                change.entered.append(s)
            } else if let pend = state.pending.first(where: { $0.zone == idx }) {
                if t.seconds(since: pend.since) >= delay {
                    state.pending.removeAll { $0.zone == idx }
                    let s = SubjectState.Stay(zone: idx, since: t, level: level)
                    state.stays.append(s)
                    change.entered.append(s)
                }
            } else {
                state.pending.append(.init(zone: idx, since: t))
            }
        }
        return change
    }
}
