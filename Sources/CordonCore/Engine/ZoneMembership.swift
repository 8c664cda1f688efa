import Geometry

/// Zone entry and exit as docs/protocol.md, "Published events" fixes them.
///
/// A subject enters a zone at its first position strictly inside (on the zone's level), or —
/// when the zone sets `enter_delay_s` — at the first position that completes that long a stay
/// inside. It leaves at its first position farther than the zone's `exit_tolerance_m` outside,
/// or on another floor. The tolerance is what keeps positioning jitter at an edge from making
/// alarms flap.
///
/// Accuracy (AQ 3064.3): a fix whose error radius (`accuracy_m`, or its frame's default) is
/// worse than a zone's `required_accuracy_m` and whose uncertainty disc reaches the zone's edge
/// is *undecided* for that zone: it neither enters nor leaves it, nor starts or lapses a pending
/// entry. The subject keeps its state until a fix settles it, and the time between the first
/// undecided fix and the settling one is counted. A fix without an accuracy decides as before.
struct ZoneMembership {
    /// What one position changed.
    struct Change {
        var exited: [SubjectState.Stay] = []
        var entered: [SubjectState.Stay] = []
        /// Undecided spells that this fix settled: the zone, and how long it was undecided.
        var settled: [(zone: Int, seconds: Double)] = []
        var isEmpty: Bool { exited.isEmpty && entered.isEmpty }
    }

    /// Reused between calls so the hot path does not allocate.
    private var inside: [Int] = []
    private var undecided: [Int] = []

    /// Updates `state`'s stays for a position at `p` on `level` at `t`, with error radius
    /// `accuracy` (nil: exact, as before accuracy counted).
    mutating func update(_ state: inout SubjectState, site: Site, at p: LocalPoint, level: Int, time t: Instant,
                         accuracy: Double? = nil) -> Change {
        var inside = self.inside
        var undecided = self.undecided
        self.inside = []
        self.undecided = []
        defer { self.inside = inside; self.undecided = undecided }
        inside.removeAll(keepingCapacity: true)
        undecided.removeAll(keepingCapacity: true)
        // Only a fix coarser than the strictest zone's requirement can leave anything undecided.
        let fuzzy: Double? = accuracy.flatMap { $0 > site.minRequiredAccuracyM ? $0 : nil }
        site.forEachZoneCandidate(at: p, within: fuzzy ?? 0) { idx in
            // Read in place: binding the zone to a constant would copy it (every member retained).
            guard site.zones[idx].applies(toLevel: level) else { return }
            if let a = fuzzy, site.zones[idx].isUndecided(at: p, accuracy: a) { undecided.append(idx) }
            if site.zones[idx].shape.contains(p) { inside.append(idx) }
        }
        if inside.count > 1 { inside.sort() }
        if undecided.count > 1 { undecided.sort() }
        var change = Change()

        // Exits first: a subject crossing from one zone into its neighbour leaves, then enters.
        if !state.stays.isEmpty {
            // Most fixes leave every stay as it was: the list is rebuilt only when one ends.
            func stillIn(_ stay: SubjectState.Stay) -> Bool {
                site.zones[stay.zone].applies(toLevel: level)
                    && (inside.contains(stay.zone) || undecided.contains(stay.zone)
                        || site.zones[stay.zone].shape.isWithinDistance(p, site.zones[stay.zone].exitToleranceM))
            }
            if let first = state.stays.firstIndex(where: { !stillIn($0) }) {
                var kept = Array(state.stays[..<first])
                change.exited.append(state.stays[first])
                for stay in state.stays[(first + 1)...] {
                    if stillIn(stay) { kept.append(stay) } else { change.exited.append(stay) }
                }
                state.stays = kept
            }
        }
        // Pending entries lapse when the subject is no longer inside (an undecided fix keeps them).
        if !state.pending.isEmpty {
            state.pending.removeAll { !inside.contains($0.zone) && !undecided.contains($0.zone) }
        }
        if !undecided.isEmpty || !state.undecided.isEmpty {
            track(&state, undecided: undecided, at: t, change: &change)
        }
        for idx in inside where state.stay(in: idx) == nil && !undecided.contains(idx) {
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

    /// Opens an undecided spell for each zone newly undecided, and closes (counts) those this fix settles.
    private func track(_ state: inout SubjectState, undecided: [Int], at t: Instant, change: inout Change) {
        var open: [SubjectState.Undecided] = []
        for u in state.undecided {
            if undecided.contains(u.zone) {
                open.append(u)
            } else {
                let s = max(0, t.seconds(since: u.since))
                state.undecidedS += s
                change.settled.append((u.zone, s))
            }
        }
        for z in undecided where !open.contains(where: { $0.zone == z }) { open.append(.init(zone: z, since: t)) }
        state.undecided = open
    }
}
