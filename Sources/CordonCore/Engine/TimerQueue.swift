/// Conditions that fall due with time alone (overstay, silence, man-down, a permit running
/// out) wait here until the clock reaches them.
///
/// Kept in a ``DueQueue`` (ordered by instant, then by the order set), so timers due at the
/// same instant fire in the order they were set and replay stays deterministic. Timers are
/// never removed: each carries what it was set for, and the rule checks on firing whether that
/// is still the case (a stay that ended, a tag that spoke again), which is cheaper than
/// finding and deleting it.
struct TimerQueue {
    /// What a timer is for.
    enum Event: Equatable {
        /// A subject's stay in a zone reaches the zone's `max_stay_min`.
        case overstay(slot: Int, zone: Int, since: Instant)
        /// A subject has sent no position since `lastPosition`.
        case offline(slot: Int, lastPosition: Instant)
        /// A still subject's no-movement time, or its cancel window, has run out.
        case manDown(slot: Int, stillSince: Instant)
        /// A fall alert's cancel window has run out.
        case fall(slot: Int, at: Instant)
        /// A work permit begins or ends.
        case permitBoundary(id: String)
        /// A qualification that admits a person to a zone expires.
        case authorisationEnds(slot: Int, zone: Int)
        /// A zone's people-count condition (alone, understaffed, crowded) may have lasted long enough.
        case zoneCheck(zone: Int)
        /// A staffed zone's hours begin or end.
        case staffedBoundary(zone: Int)
        /// A permit worker's guardian may have been away long enough.
        case guardian(permit: String, worker: String)
        /// A vehicle's stop may have lasted long enough to be illegal.
        case vehicleStop(slot: Int, since: Instant)
        /// A vehicle's allowed stay on site (booking or site default) runs out.
        case vehicleStay(slot: Int, since: Instant)
        /// A booking's deadline to reach its destination.
        case arrivalDeadline(slot: Int, booking: String)
        /// A running muster's periodic progress is due.
        case musterProgress(id: String)
        /// Someone's dwell in a muster point may be complete.
        case musterDwell(id: String)
        /// A `positioning-degraded` window ends: every zone's fixes are judged.
        case positioningWindow
    }

    private var queue = DueQueue<Event>()

    var isEmpty: Bool { queue.isEmpty }
    var count: Int { queue.count }

    /// The earliest due instant.
    var nextDue: Instant? { queue.nextDue }

    mutating func schedule(_ event: Event, at due: Instant) {
        queue.schedule(event, at: due)
    }

    /// Removes and returns the earliest timer if it is due by `t` (inclusive when `inclusive`).
    mutating func popDue(by t: Instant, inclusive: Bool) -> (due: Instant, event: Event)? {
        guard let next = queue.nextDue, inclusive ? next <= t : next < t,
              let timer = queue.popDue(atOrBefore: t) else { return nil }
        return (timer.due, timer.payload)
    }

    mutating func removeAll() {
        queue = DueQueue()
    }
}
