import Foundation

/// The engine's live state as the store keeps it for a restart: one opaque row per subject,
/// and one for everything else. The store does not read them; the service encodes them.
public struct LiveState: Sendable {
    /// The engine's drain number these rows come from (``CordonCore/EngineJournal/sequence``).
    public var sequence: UInt64
    /// Subject key (`person:P0042`) → encoded row.
    public var subjects: [(key: String, data: Data)]
    /// The state outside subjects, when it changed.
    public var globals: Data?
    /// Where the subjects that only moved were last seen, as one blob, when it changed.
    public var movements: Data?

    public init(sequence: UInt64, subjects: [(key: String, data: Data)], globals: Data? = nil, movements: Data? = nil) {
        self.sequence = sequence
        self.subjects = subjects
        self.globals = globals
        self.movements = movements
    }

    public var isEmpty: Bool { subjects.isEmpty && globals == nil && movements == nil }
}
