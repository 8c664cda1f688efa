import Geometry

/// What the engine knows about one tracked subject. Kept small (a few hundred bytes): a park
/// tracks tens of thousands of them.
public struct SubjectState: Sendable {
    /// A zone the subject is inside, since when, and on which floor.
    public struct Stay: Sendable, Equatable, Codable {
        public var zone: Int
        public var since: Instant
        public var level: Int
    }

    /// A zone the subject is inside but whose entry delay has not yet passed.
    public struct PendingEntry: Sendable, Equatable, Codable {
        public var zone: Int
        public var since: Instant
    }

    /// A zone whose membership the subject's fixes have left undecided (too coarse at its
    /// edge), since the first such fix.
    public struct Undecided: Sendable, Equatable, Codable {
        public var zone: Int
        public var since: Instant
    }

    public var key: SubjectKey
    /// Newest accepted event time: older events are late.
    public var lastTime: Instant
    /// Time of the newest position (alerts do not move it).
    public var lastPositionTime: Instant?
    public var point: LocalPoint
    public var level: Int
    /// The tag that reported last.
    public var tag: String?
    public var accuracyM: Double?
    public var stays: [Stay] = []
    public var pending: [PendingEntry] = []
    /// Zones left undecided by the last fix, and since when.
    public var undecided: [Undecided] = []
    /// Seconds this subject has spent undecided at zone edges, all zones together.
    public var undecidedS: Double = 0
    /// The subject's usual interval between fixes (a moving average), and how many intervals
    /// it is made of: a tag "stops being positioned" only against its own cadence.
    public var cadenceS: Double = 0
    public var cadenceSamples: Int = 0
    /// The last position was inside the site's fence.
    public var insideFence = false
    /// Since when the subject has not moved (man-down), and where it stood then.
    public var stillSince: Instant?
    public var stillAnchor = LocalPoint(x: 0, y: 0)
    /// The battery level last reported, and whether it is flagged low.
    public var lastBattery: Double?
    public var lowBattery = false
    /// A silence (tag-offline) timer is waiting for this subject.
    var offlineTimerSet = false
    /// A man-down timer is waiting for this subject.
    var manDownTimerSet = false
    /// A fall alert waiting out its cancel window, by the alert's time.
    public var pendingFall: Instant?

    init(key: SubjectKey, time: Instant) {
        self.key = key
        self.lastTime = time
        self.point = LocalPoint(x: 0, y: 0)
        self.level = 0
    }

    /// The stay in zone `index`, if inside.
    public func stay(in index: Int) -> Stay? { stays.first { $0.zone == index } }

    public var hasPosition: Bool { lastPositionTime != nil }
}
