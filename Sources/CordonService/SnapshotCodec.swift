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

    /// Subject rows for the store, one encoder for the lot.
    static func rows(_ subjects: [EngineSnapshot.Subject]) throws -> [(key: String, data: Data)] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        var out: [(key: String, data: Data)] = []
        out.reserveCapacity(subjects.count)
        for s in subjects { out.append((key(s), try row(s, vehicles: e))) }
        return out
    }

    static func decodeSubject(_ d: Data, _ decoder: JSONDecoder) throws -> EngineSnapshot.Subject {
        try decoder.decode(EngineSnapshot.Subject.self, from: d)
    }
}
