import Geometry

extension Engine {
    /// Where one subject was last positioned, as the live map draws it.
    public struct LastPosition: Sendable {
        public var key: SubjectKey
        public var point: LocalPoint
        public var level: Int
        /// The first zone the subject is in, if any.
        public var zone: String?
        public var time: Instant

        public init(key: SubjectKey, point: LocalPoint, level: Int, zone: String?, time: Instant) {
            (self.key, self.point, self.level, self.zone, self.time) = (key, point, level, zone, time)
        }
    }

    /// Every subject positioned within the last `withinS` seconds of the clock, in subject
    /// order: what a map that has just opened draws before live positions come. Someone lying
    /// still (a man-down) may send nothing new for minutes, and must be on the map all the same.
    public func lastPositions(withinS: Double) -> [LastPosition] {
        states.compactMap { s -> LastPosition? in
            guard let t = s.lastPositionTime, now.seconds(since: t) <= withinS else { return nil }
            return LastPosition(key: s.key, point: s.point, level: s.level, zone: s.stays.first.map { site.zones[$0.zone].id }, time: t)
        }
        .sorted { $0.key.description < $1.key.description }
    }
}
