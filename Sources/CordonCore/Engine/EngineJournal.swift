/// The part of the engine's live state to store now, so that a restart after a crash comes back
/// as the engine was after the last frame whose effects were stored.
///
/// The service drains one after every frame, tick and control request, and stores `changed` and
/// `globals` in the same transaction as that frame's violations and gate passages. Subjects that
/// only moved come out in `moved` on periodic drains, for a background write: a position costs
/// the store nothing until then.
public struct EngineJournal: Sendable {
    /// Grows with every drain: a row of an older drain never replaces one of a newer.
    public var sequence: UInt64
    /// Subjects whose lasting state changed (a zone entered or left, a stillness begun, a fall
    /// pending, a vehicle episode): to be stored with the frame's commit.
    public var changed: [EngineSnapshot.Subject]
    /// Vehicles that only moved since they were last handed out (periodic drains only): whole
    /// rows, since their motion episodes move with them.
    public var moved: [EngineSnapshot.Subject]
    /// People and tags that only moved since they were last handed out (periodic drains only):
    /// where each was last seen, by slot. Twenty thousand of these cost the engine's thread a
    /// tenth of a millisecond; as rows they cost it ten (strings, zone lists).
    public var movements: [Movement]
    /// Who each slot first seen since the last periodic drain stands for (a slot's subject never
    /// changes): what a reader of ``movements`` needs to name them.
    public var newSlots: [(slot: Int, key: SubjectKey)]
    /// The state outside subjects (rule episodes by zone, permits, journeys, the clock), its
    /// `subjects` empty, when it changed.
    public var globals: EngineSnapshot?

    public var isEmpty: Bool { changed.isEmpty && moved.isEmpty && movements.isEmpty && globals == nil }

    /// Where a subject that only moved was last seen.
    public struct Movement: Sendable, Equatable {
        public var slot: Int
        public var lastTime: Instant
        public var lastPositionTime: Instant?
        public var x: Double
        public var y: Double
        public var level: Int
        public var battery: Double?

        public init(slot: Int, lastTime: Instant, lastPositionTime: Instant?, x: Double, y: Double, level: Int, battery: Double?) {
            self.slot = slot
            self.lastTime = lastTime
            self.lastPositionTime = lastPositionTime
            self.x = x
            self.y = y
            self.level = level
            self.battery = battery
        }
    }

    /// The state outside subjects, compared whole at each drain.
    struct Globals: Equatable {
        struct Lasting: Equatable {
            var alone: [Int: LoneWorkerRule.Alone]
            var crowded: [Int: CrowdingRule.Episode]
            var below: [Int: Instant]
            var unguarded: [GuardianRule.Watch: Instant]
            var parked: [String: [String: Instant]]
            var permits: PermitBook
            var journeys: [String: Journey]
            var pastMusters: [Value]
        }
        struct Fresh: Equatable {
            var unknownTags: [String: Instant]
            var gates: [String: Instant]
        }
        var lasting: Lasting
        var fresh: Fresh
    }
}
