import Geometry

/// An emergency roll-call (应急点名) in progress: who must be found, who is safe, and where.
///
/// The roster is fixed when the muster starts; people who come onto the site during it are
/// added and flagged. A person is accounted for when they stand in a muster point for the
/// site's dwell time, or when someone marks them safe by hand. A value, kept in the engine
/// snapshot so that a restart resumes it.
public struct MusterSession: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case drill, emergency
    }

    /// One person to find.
    public struct Entry: Codable, Sendable, Equatable {
        public var person: String
        /// Came onto the site (or was first seen) after the muster started.
        public var lateEntry: Bool
        public var addedAt: Instant
        public var accountedAt: Instant?
        /// The muster point's id, or nil when marked by hand.
        public var point: String?
        public var markedBy: String?
        public var note: String?
        /// A muster point the person is standing in, not yet for the dwell time.
        public var arrivingAt: String?
        public var arrivingSince: Instant?

        public var isAccounted: Bool { accountedAt != nil }
    }

    public var id: String
    public var mode: Mode
    /// Zone or enterprise ids to evacuate; empty means the whole site.
    public var scope: [String]
    public var startedBy: String?
    public var startedAt: Instant
    public var roster: [String: Entry]
    public var endedAt: Instant?
    public var endedBy: String?
    /// Progress events published so far (their ids count up).
    public var progressCount: Int = 0

    public var total: Int { roster.count }
    public var accountedCount: Int { roster.values.filter(\.isAccounted).count }

    /// Accounted people by muster point (`manual` for those marked by hand).
    public var byPoint: [String: Int] {
        var d: [String: Int] = [:]
        for e in roster.values where e.isAccounted { d[e.point ?? "manual", default: 0] += 1 }
        return d
    }

    /// Seconds from the start until `fraction` of the roster was accounted for, if it was.
    public func secondsTo(_ fraction: Double) -> Double? {
        let times = roster.values.compactMap(\.accountedAt).sorted()
        let needed = Int((fraction * Double(total)).rounded(.up))
        guard total > 0, needed >= 1, times.count >= needed else { return total == 0 ? 0 : nil }
        return times[needed - 1].seconds(since: startedAt)
    }
}
