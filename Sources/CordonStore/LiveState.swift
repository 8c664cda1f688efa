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

extension LiveState {
    /// `newer` laid over this one: its rows replace this one's for the same subject, its
    /// globals and movements replace these when it has them, its sequence stands. What the
    /// service holds while the store refuses writes stays as large as the park, however long
    /// the store is down.
    public mutating func merge(_ newer: LiveState) {
        sequence = max(sequence, newer.sequence)
        if subjects.isEmpty {
            subjects = newer.subjects
        } else if !newer.subjects.isEmpty {
            let replaced = Set(newer.subjects.map(\.key))
            subjects.removeAll { replaced.contains($0.key) }
            subjects += newer.subjects
        }
        if let g = newer.globals { globals = g }
        if let m = newer.movements { movements = m }
    }

    /// Roughly the memory it holds, in bytes.
    public var byteEstimate: Int {
        subjects.reduce(0) { $0 + $1.key.utf8.count + $1.data.count + 48 } + (globals?.count ?? 0) + (movements?.count ?? 0)
    }
}
