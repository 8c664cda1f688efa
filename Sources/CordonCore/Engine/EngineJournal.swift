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
    /// Subjects that only moved since they were last handed out (periodic drains only).
    public var moved: [EngineSnapshot.Subject]
    /// The state outside subjects (rule episodes by zone, permits, journeys, the clock), its
    /// `subjects` empty, when it changed.
    public var globals: EngineSnapshot?

    public var isEmpty: Bool { changed.isEmpty && moved.isEmpty && globals == nil }

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
