import CordonCore
import Foundation

/// Where every subject that only moved was last seen: one compact blob in the store, written
/// whole once a second by ``JournalWriter`` instead of one row per subject.
///
/// A subject that only moved changes nothing a restart must not lose but its last position and
/// the time it was last heard of (which the offline timer counts from). Twenty thousand such
/// rows a second were upserts competing with the frames' commits for the write lock; one blob
/// of about 50 bytes a subject is a single write. Restore lays an entry over the subject's row
/// only when it is newer (`lastTime` only grows), so a row stored by a later frame wins.
struct SubjectMovements: Equatable {
    struct Entry: Equatable {
        var lastTime: Instant
        var lastPositionTime: Instant?
        var x: Double
        var y: Double
        var level: Int
        var battery: Double?
    }

    /// Subject key (`person:P0042`) → where it was last seen.
    private(set) var entries: [String: Entry] = [:]

    /// Takes in where a periodic drain said the subject `key` (`person:P0042`) was last seen;
    /// vehicles are kept as whole rows instead (their motion episodes move with them).
    mutating func merge(_ m: EngineJournal.Movement, key: String) {
        entries[key] = Entry(lastTime: m.lastTime, lastPositionTime: m.lastPositionTime, x: m.x, y: m.y, level: m.level, battery: m.battery)
    }

    /// Lays the entry over `s` when it is newer than the row.
    func apply(to s: inout EngineSnapshot.Subject) {
        guard let e = entries[SnapshotCodec.key(s)], e.lastTime > s.lastTime else { return }
        s.lastTime = e.lastTime
        s.lastPositionTime = e.lastPositionTime
        s.x = e.x
        s.y = e.y
        s.level = e.level
        if e.battery != nil { s.battery = e.battery }
    }

    // MARK: bytes

    /// Format: "CMV2", a count, then per entry the key (length-prefixed UTF-8), times in epoch
    /// milliseconds (`Int64.min` for none), x, y, level, battery (NaN for none); little-endian.
    func encoded() -> Data {
        var w = ByteWriter(capacity: 8 + entries.count * 60)
        w.raw(Self.magic)
        w.int(UInt32(entries.count))
        for (key, e) in entries.sorted(by: { $0.key < $1.key }) {
            w.string(key)
            w.int(e.lastTime.milliseconds)
            w.int(e.lastPositionTime?.milliseconds ?? Int64.min)
            w.double(e.x)
            w.double(e.y)
            w.int(Int32(clamping: e.level))
            w.double(e.battery ?? .nan)
        }
        return w.data
    }

    /// Reads what ``encoded()`` wrote; throws on anything else (a truncated or foreign blob).
    init(decoding data: Data) throws(StoredBytesError) {
        var r = ByteReader(data)
        guard Array(try r.take(4)) == Self.magic else { throw .unknownFormat("the movements blob is not CMV2") }
        // Each entry takes at least 48 bytes.
        let count = try r.count(minBytes: 48)
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try r.string()
            let last = try r.int(Int64.self)
            let lastPosition = try r.int(Int64.self)
            let x = try r.double()
            let y = try r.double()
            let level = Int(try r.int(Int32.self))
            let battery = try r.double()
            entries[key] = Entry(
                lastTime: Instant(milliseconds: last),
                lastPositionTime: lastPosition == Int64.min ? nil : Instant(milliseconds: lastPosition),
                x: x, y: y, level: level, battery: battery.isNaN ? nil : battery)
        }
    }

    init() {}

    private static let magic: [UInt8] = Array("CMV2".utf8)
}
