import Geometry

/// Everything one ingest message caused, in one value (docs/architecture.md): the service
/// reads it and does not call back into the engine for the same message.
///
/// Empty arrays cost nothing: a position that changes nothing returns a `Handled` with no
/// allocation (`make allocations`).
public struct Handled: Sendable {
    /// Whether the message was taken, dropped as late, or refused.
    public var disposition: Engine.Disposition
    /// What to publish (and, for violations, store first), in order.
    public var outputs: [Output]
    /// The gate passages to make durable with `outputs`: kept only when the engine is asked to
    /// (``Engine/keepsGateRecords``).
    public var gateRecords: [GateRecord]
    /// Where an accepted position left its subject: what the track history and the live map keep.
    /// Nil for anything else, and when the engine is not asked for it (``Engine/reportsTracks``).
    public var track: TrackSummary?

    public init(disposition: Engine.Disposition, outputs: [Output] = [], gateRecords: [GateRecord] = [],
                track: TrackSummary? = nil) {
        self.disposition = disposition
        self.outputs = outputs
        self.gateRecords = gateRecords
        self.track = track
    }
}

/// Where a subject stands after an accepted position, without copying its state.
public struct TrackSummary: Sendable {
    public var key: SubjectKey
    /// The engine's slot for the subject: dense, so the service can keep per-subject state in arrays.
    public var slot: Int
    public var point: LocalPoint
    public var level: Int
    /// Differs whenever the set of zones the subject is in differs.
    public var zoneSignature: Int
    /// The first zone it is in, if any.
    public var firstZoneID: String?
}
