import CordonCore
import Foundation
import Geometry

/// Subject rows of the live-state journal, in a compact binary form: one is encoded for every
/// lasting change (a zone entered, a stillness begun) and the commit thread has better things to
/// do than write JSON. Rows stored before this form (JSON objects, first byte `{`) are still read.
///
/// Format 1: the byte 0xC1, then kind, id, last time, last position time?, x, y, level, tag?,
/// stays, stillness?, battery?, pending stays?, pending fall?, low battery?, vehicle?; `?` is a
/// presence byte before the value, strings are UTF-8 with a 32-bit length, times epoch
/// milliseconds, all little-endian (``ByteWriter``).
extension SnapshotCodec {
    static let rowFormat: UInt8 = 0xC1

    static func row(_ s: EngineSnapshot.Subject) -> Data {
        var w = ByteWriter(capacity: 96 + 40 * s.stays.count)
        w.int(rowFormat)
        w.string(s.kind)
        w.string(s.id)
        w.instant(s.lastTime)
        w.optional(s.lastPositionTime) { $0.instant($1) }
        w.double(s.x)
        w.double(s.y)
        w.int(Int64(s.level))
        w.optional(s.tag) { $0.string($1) }
        stays(s.stays, &w)
        w.optional(s.stillSince) { $0.instant($1) }
        w.optional(s.battery) { $0.double($1) }
        w.optional(s.pending) { stays($1, &$0) }
        w.optional(s.pendingFall) { $0.instant($1) }
        w.optional(s.lowBattery) { $0.bool($1) }
        w.optional(s.vehicle) { w, v in
            w.optional(v.lastFix) { $0.double($1.x); $0.double($1.y) }
            w.optional(v.lastFixTime) { $0.instant($1) }
            w.double(v.speedKmh.isFinite ? v.speedKmh : 0)
            w.bool(v.speedDerived)
            w.int(Int64(v.jumps))
            w.optional(v.overSince) { $0.instant($1) }
            w.double(v.maxSpeedKmh.isFinite ? v.maxSpeedKmh : 0)
            w.optional(v.slowSince) { $0.instant($1) }
            w.optional(v.offRouteSince) { $0.instant($1) }
            w.bool(v.atDestination)
            w.optional(v.lot) { $0.string($1) }
            w.optional(v.lotSince) { $0.instant($1) }
            w.optional(v.onSiteSince) { $0.instant($1) }
        }
        return w.data
    }

    /// Subject rows for the store.
    static func rows(_ subjects: [EngineSnapshot.Subject]) -> [(key: String, data: Data)] {
        subjects.map { (key($0), row($0)) }
    }

    /// A stored row: the binary form, or the JSON of rows stored before it.
    static func decodeSubject(_ d: Data, _ decoder: JSONDecoder) throws -> EngineSnapshot.Subject {
        guard d.first != UInt8(ascii: "{") else { return try decoder.decode(EngineSnapshot.Subject.self, from: d) }
        var r = ByteReader(d)
        guard try r.int(UInt8.self) == rowFormat else { throw StoredBytesError.unknownFormat("a subject row of format \(d.first ?? 0)") }
        let s = try decodeSubjectBody(&r)
        guard r.isAtEnd else { throw StoredBytesError.malformed(at: r.offset, "bytes after the end of the subject row") }
        return s
    }

    private static func decodeSubjectBody(_ r: inout ByteReader) throws(StoredBytesError) -> EngineSnapshot.Subject {
        let kind = try r.string()
        let id = try r.string()
        let lastTime = try r.instant()
        let lastPositionTime = try r.optional { r throws(StoredBytesError) in try r.instant() }
        let x = try r.double(), y = try r.double()
        let level = Int(truncatingIfNeeded: try r.int(Int64.self))
        let tag = try r.optional { r throws(StoredBytesError) in try r.string() }
        let stays = try stays(&r)
        let stillSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
        let battery = try r.optional { r throws(StoredBytesError) in try r.double() }
        let pending = try r.optional { r throws(StoredBytesError) in try Self.stays(&r) }
        let pendingFall = try r.optional { r throws(StoredBytesError) in try r.instant() }
        let lowBattery = try r.optional { r throws(StoredBytesError) in try r.bool() }
        let vehicle = try r.optional { r throws(StoredBytesError) -> VehicleTrack in
            var v = VehicleTrack()
            v.lastFix = try r.optional { r throws(StoredBytesError) in LocalPoint(x: try r.double(), y: try r.double()) }
            v.lastFixTime = try r.optional { r throws(StoredBytesError) in try r.instant() }
            v.speedKmh = try r.double()
            v.speedDerived = try r.bool()
            v.jumps = Int(truncatingIfNeeded: try r.int(Int64.self))
            v.overSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
            v.maxSpeedKmh = try r.double()
            v.slowSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
            v.offRouteSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
            v.atDestination = try r.bool()
            v.lot = try r.optional { r throws(StoredBytesError) in try r.string() }
            v.lotSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
            v.onSiteSince = try r.optional { r throws(StoredBytesError) in try r.instant() }
            return v
        }
        return EngineSnapshot.Subject(
            kind: kind, id: id, lastTime: lastTime, lastPositionTime: lastPositionTime, x: x, y: y, level: level, tag: tag,
            stays: stays, stillSince: stillSince, battery: battery, pending: pending, pendingFall: pendingFall,
            lowBattery: lowBattery, vehicle: vehicle)
    }

    private static func stays(_ list: [EngineSnapshot.Stay], _ w: inout ByteWriter) {
        w.int(UInt32(list.count))
        for st in list {
            w.string(st.zone)
            w.instant(st.since)
            w.int(Int64(st.level))
        }
    }

    /// Each stay takes at least 20 bytes (an empty zone id, a time, a level).
    private static func stays(_ r: inout ByteReader) throws(StoredBytesError) -> [EngineSnapshot.Stay] {
        let n = try r.count(minBytes: 20)
        var out: [EngineSnapshot.Stay] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            out.append(EngineSnapshot.Stay(zone: try r.string(), since: try r.instant(), level: Int(truncatingIfNeeded: try r.int(Int64.self))))
        }
        return out
    }
}
