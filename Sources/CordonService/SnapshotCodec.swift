import CordonCore
import Foundation

/// The engine snapshot as bytes for the store (Foundation's JSON coder: this is not the ingest path).
enum SnapshotCodec {
    static func encode(_ s: EngineSnapshot) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(s)
    }

    static func decode(_ d: Data) throws -> EngineSnapshot {
        try JSONDecoder().decode(EngineSnapshot.self, from: d)
    }

    static func encodeMuster(_ m: MusterSession) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(m)
    }

    static func decodeMuster(_ d: Data) throws -> MusterSession {
        try JSONDecoder().decode(MusterSession.self, from: d)
    }

    /// The store's key of a subject's live row.
    static func key(_ s: EngineSnapshot.Subject) -> String { "\(s.kind):\(s.id)" }
}
