import CordonCore
import Foundation

/// The live state outside subjects (``EngineJournal/globals``) as the JSON the store keeps,
/// re-encoding only the members that changed since the last call.
///
/// The engine hands these globals out whenever any of them changes — a lone worker's episode
/// begun or ended, a crowd, a parked truck — tens of times a second on a busy park, and each
/// time `JSONEncoder` wrote all of them again: every booked truck's journey with its steps and
/// violations, every permit, the past musters. Here each member keeps its last value and text,
/// and journeys and permits keep theirs one by one, so a change costs the encoding of what
/// changed and a comparison of the rest (copy-on-write values: an unchanged one compares fast).
///
/// The text is one JSON object with the snapshot's members under their `Codable` names, each
/// written by `JSONEncoder` as before; `SnapshotCodec.decode` reads it as it read the whole.
/// Used on the committer's thread only.
final class GlobalsEncoder {
    /// The snapshot's members, as its `Codable` conformance names them; a test holds this list
    /// to the type, so that a member added there is not left out here.
    static let members = [
        "alone", "crowded", "gates", "journeys", "muster", "now", "parked", "pastMusters", "permits", "subjects",
        "understaffed", "unguarded", "unknownTags", "version",
    ]

    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
    private var alone = Cached<[EngineSnapshot.ZoneEpisode]>()
    private var crowded = Cached<[EngineSnapshot.ZoneEpisode]>()
    private var understaffed = Cached<[EngineSnapshot.ZoneEpisode]>()
    private var unguarded = Cached<[EngineSnapshot.Unguarded]>()
    private var parked = Cached<[EngineSnapshot.Parked]>()
    private var gates = Cached<[String: Instant]>()
    private var unknownTags = Cached<[String: Instant]>()
    private var muster = Cached<MusterSession>()
    private var pastMusters = Cached<[Value]>()
    private var subjects = Cached<[EngineSnapshot.Subject]>()
    private var journeys: [String: (value: Journey, json: Data)] = [:]
    private var permits: [String: (value: WorkPermit, json: Data)] = [:]

    /// One member's last value and its text.
    private struct Cached<T: Encodable & Equatable> {
        var last: (value: T, json: Data)?

        mutating func json(_ value: T, _ encoder: JSONEncoder) throws -> Data {
            if let last, last.value == value { return last.json }
            let json = try encoder.encode(value)
            last = (value, json)
            return json
        }
    }

    /// The snapshot as JSON, reusing the text of every member (and every journey and permit)
    /// equal to the one last encoded.
    func encode(_ s: EngineSnapshot) throws -> Data {
        var out = Data()
        out.reserveCapacity(4096)
        var first = true
        func member(_ name: String, _ json: Data) {
            out.append(contentsOf: (first ? "{\"" : ",\"").utf8)
            first = false
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
            out.append(json)
        }
        // In byte order of the names, as JSONEncoder's sorted keys put them.
        if let v = s.alone { member("alone", try alone.json(v, encoder)) }
        if let v = s.crowded { member("crowded", try crowded.json(v, encoder)) }
        member("gates", try gates.json(s.gates, encoder))
        if let v = s.journeys {
            member("journeys", try array(v, key: \.booking, cache: &journeys))
        }
        if let v = s.muster { member("muster", try muster.json(v, encoder)) }
        member("now", Data(String(s.now.milliseconds).utf8))
        if let v = s.parked { member("parked", try parked.json(v, encoder)) }
        if let v = s.pastMusters { member("pastMusters", try pastMusters.json(v, encoder)) }
        if let v = s.permits {
            member("permits", try array(v, key: \.id, cache: &permits))
        }
        member("subjects", try subjects.json(s.subjects, encoder))
        if let v = s.understaffed { member("understaffed", try understaffed.json(v, encoder)) }
        if let v = s.unguarded { member("unguarded", try unguarded.json(v, encoder)) }
        member("unknownTags", try unknownTags.json(s.unknownTags, encoder))
        member("version", Data(String(s.version).utf8))
        out.append(contentsOf: "}".utf8)
        return out
    }

    /// A JSON array of `items` in their order, each element's text reused while it is equal to
    /// the one last encoded under its key; keys no longer present are forgotten.
    private func array<T: Encodable & Equatable>(
        _ items: [T], key: (T) -> String, cache: inout [String: (value: T, json: Data)]
    ) throws -> Data {
        var out = Data("[".utf8)
        var next: [String: (value: T, json: Data)] = [:]
        next.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let k = key(item)
            let json: Data
            if let c = cache[k], c.value == item {
                json = c.json
            } else {
                json = try encoder.encode(item)
            }
            next[k] = (item, json)
            if i > 0 { out.append(contentsOf: ",".utf8) }
            out.append(json)
        }
        out.append(contentsOf: "]".utf8)
        cache = next
        return out
    }
}
