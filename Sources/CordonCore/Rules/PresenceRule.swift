import Geometry

/// `untracked` and `no-entry-record`: the gate record reconciled with positions.
///
/// - `untracked`: a person entered through a gate and no position has come from them (the tag
///   issued at entry, or their own) within the site's `untracked_after_s`. Raised when that
///   time is up, by the clock; cleared by their first position, or when they leave.
/// - `no-entry-record`: a registered person or vehicle is positioned inside the site fence with
///   no entry on record, and still is after the site's `no_entry_grace_s` (a gate message may
///   trail the first positions by a moment). Raised when the grace is up; cleared when an
///   entry is recorded, or at their first position outside the fence.
///
/// The rule keeps one small state per tracked subject slot, so that a position of someone
/// already reconciled costs one array read.
struct PresenceRule {
    enum Track: UInt8 {
        /// Not on site by the gate record, or not looked at yet: each position is checked.
        case unknown
        /// Nothing to watch: on site and positioned, or a tag the registry does not know.
        case settled
        /// Entered; waiting for a first position.
        case awaitingPosition
        /// Positioned inside without an entry; the grace is running.
        case suspect
        /// `no-entry-record` is raised.
        case flagged
    }

    enum Kind: Sendable { case untracked, noEntry }

    struct Due: Sendable {
        var slot: Int
        var kind: Kind
        var armedAt: Instant
    }

    private(set) var track: [Track] = []
    /// The instant the current watch of a slot started (entry time, or first position inside).
    private var armedAt: [Int: Instant] = [:]
    private var timers = DueQueue<Due>()

    @inline(__always)
    func isSettled(_ slot: Int) -> Bool { slot < track.count && track[slot] == .settled }

    func state(_ slot: Int) -> Track { slot < track.count ? track[slot] : .unknown }

    private mutating func set(_ slot: Int, _ t: Track) {
        if slot >= track.count { track.append(contentsOf: repeatElement(.unknown, count: slot - track.count + 1)) }
        track[slot] = t
    }

    // MARK: gate record

    /// An entry was recorded for the subject in `slot`.
    mutating func entered(
        slot: Int, key: SubjectKey, entry: PresenceEntry, untrackedAfterS: Double, context c: inout RuleContext
    ) {
        c.alarms.clear(.noEntryRecord, .init(key), at: entry.since) { _ in ["ended": "entry recorded", "gate": .string(entry.gate), "decision": .string(entry.decision)] }
        armedAt[slot] = nil
        guard case .person = key else { set(slot, .settled); return }
        set(slot, .awaitingPosition)
        armedAt[slot] = entry.since
        timers.schedule(Due(slot: slot, kind: .untracked, armedAt: entry.since), at: entry.since.adding(seconds: untrackedAfterS))
    }

    /// The subject in `slot` left through a gate.
    mutating func left(slot: Int, key: SubjectKey, gate: String, at t: Instant, context c: inout RuleContext) {
        c.alarms.clear(.untracked, .init(key), at: t) { _ in ["ended": "left the site", "gate": .string(gate)] }
        c.alarms.clear(.noEntryRecord, .init(key), at: t) { _ in ["ended": "left the site", "gate": .string(gate)] }
        armedAt[slot] = nil
        set(slot, .unknown)
    }

    /// Puts a subject back after a restart: on site since `since`, positioned at `lastPosition`.
    mutating func restore(slot: Int, key: SubjectKey, since: Instant, lastPosition: Instant?, untrackedAfterS: Double) {
        guard case .person = key, lastPosition.map({ $0 < since }) ?? true else { set(slot, .settled); return }
        set(slot, .awaitingPosition)
        armedAt[slot] = since
        timers.schedule(Due(slot: slot, kind: .untracked, armedAt: since), at: since.adding(seconds: untrackedAfterS))
    }

    /// A `no-entry-record` was raised before a restart and is still up.
    mutating func restoreFlagged(slot: Int) { set(slot, .flagged) }

    // MARK: positions

    /// A position of the subject in `slot`. `onSite` says whether it has an entry on record;
    /// `registered` whether the registry knows it; `insideFence` is asked only when needed.
    mutating func positioned(
        slot: Int, key: SubjectKey, at t: Instant, onSite: Bool, registered: Bool, insideFence: () -> Bool,
        noEntryGraceS: Double, position: () -> Violation.Position, context c: inout RuleContext
    ) {
        switch state(slot) {
        case .settled:
            return
        case .awaitingPosition:
            set(slot, .settled)
            armedAt[slot] = nil
            c.alarms.clear(.untracked, .init(key), at: t, position: position()) { _ in ["ended": "positioned"] }
        case .unknown:
            if case .tag = key { set(slot, .settled); return }
            if onSite { set(slot, .settled); return }
            guard registered, insideFence() else { return }
            set(slot, .suspect)
            armedAt[slot] = t
            timers.schedule(Due(slot: slot, kind: .noEntry, armedAt: t), at: t.adding(seconds: noEntryGraceS))
        case .suspect:
            if !insideFence() {
                set(slot, .unknown)
                armedAt[slot] = nil
            }
        case .flagged:
            if !insideFence() {
                set(slot, .unknown)
                c.alarms.clear(.noEntryRecord, .init(key), at: t, position: position()) { _ in ["ended": "positioned outside the site"] }
            }
        }
    }

    // MARK: clock

    /// Takes the next timer due by `t` that still stands, marking what it raises. Call until nil.
    mutating func nextDue(by t: Instant) -> (due: Due, at: Instant)? {
        while let timer = timers.popDue(atOrBefore: t) {
            let d = timer.payload
            guard armedAt[d.slot] == d.armedAt else { continue }
            switch (d.kind, state(d.slot)) {
            case (.untracked, .awaitingPosition):
                armedAt[d.slot] = nil  // raised once; the first position clears it
                return (d, timer.due)
            case (.noEntry, .suspect):
                set(d.slot, .flagged)
                armedAt[d.slot] = nil
                return (d, timer.due)
            default:
                continue
            }
        }
        return nil
    }

    var nextDue: Instant? { timers.nextDue }
}
