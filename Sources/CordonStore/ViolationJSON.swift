import CordonCore
import CordonWire

/// The JSON the store keeps of a violation: its details (`violation_events.details`) and the
/// whole raised violation (`alarms.violation`, read back with `StoreJSON.decode` to restore it
/// exactly).
///
/// Written member by member with the wire's writer instead of Foundation's `JSONEncoder`, which
/// took a fifth of the committer's thread: two encodes for every raise, one for every clear.
/// The text is what `Violation`'s `Codable` conformance reads: the same member names, absent
/// optionals left out, times as epoch milliseconds, numbers that read back to the same double.
/// Details are stored with non-finite numbers as null (``StoreJSON/finite(_:)``). A position with
/// a non-finite coordinate (the engine makes none: its coordinates come from bounded input) is
/// left out: `JSONEncoder` wrote such a coordinate as a marker string that `JSONDecoder` then
/// could not read (it compares the marker with the text still escaped), so the alarm could not
/// be restored at all.
enum ViolationJSON {
    /// `details` as a JSON object, non-finite numbers as null.
    static func details(_ details: [String: Value]) -> String {
        var w = JSONWriter(capacity: 128)
        w.write(.object(details))
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The whole violation, as `Violation: Codable` reads it; its details' non-finite numbers as null.
    static func violation(_ v: Violation) -> String {
        var w = JSONWriter(capacity: 512)
        // Members in byte order of their names, as `JSONEncoder` with sorted keys wrote them.
        w.literal(#"{"details":"#)
        w.write(.object(v.details))
        w.literal(#","id":"#)
        w.write(string: v.id)
        w.literal(#","kind":"#)
        w.write(string: v.kind.rawValue)
        if let p = v.position, p.x.isFinite, p.y.isFinite, p.lon.isFinite, p.lat.isFinite {
            w.literal(#","position":{"lat":"#)
            w.write(number: p.lat)
            w.literal(#","level":"#)
            w.write(integer: Int64(p.level))
            w.literal(#","lon":"#)
            w.write(number: p.lon)
            w.literal(#","x":"#)
            w.write(number: p.x)
            w.literal(#","y":"#)
            w.write(number: p.y)
            w.literal("}")
        }
        w.literal(#","scope":"#)
        w.write(string: v.scope)
        w.literal(#","severity":"#)
        w.write(string: v.severity.rawValue)
        w.literal(#","state":"#)
        w.write(string: v.state.rawValue)
        w.literal(#","subject":{"#)
        if let e = v.subject.enterprise {
            w.literal(#""enterprise":"#)
            w.write(string: e)
            w.literal(",")
        }
        w.literal(#""id":"#)
        w.write(string: v.subject.id)
        w.literal(#","kind":"#)
        w.write(string: v.subject.kind)
        if let n = v.subject.name {
            w.literal(#","name":"#)
            w.write(string: n)
        }
        if let t = v.subject.tag {
            w.literal(#","tag":"#)
            w.write(string: t)
        }
        w.literal(#"},"time":"#)
        w.write(integer: v.time.milliseconds)
        if let z = v.zoneID {
            w.literal(#","zoneID":"#)
            w.write(string: z)
        }
        if let z = v.zoneName {
            w.literal(#","zoneName":"#)
            w.write(string: z)
        }
        w.literal("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
