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

    /// Takes in what a periodic drain handed out; vehicles are kept as whole rows instead
    /// (their motion episodes move with them).
    mutating func merge(_ s: EngineSnapshot.Subject) {
        entries[SnapshotCodec.key(s)] = Entry(
            lastTime: s.lastTime, lastPositionTime: s.lastPositionTime, x: s.x, y: s.y, level: s.level, battery: s.battery)
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

    /// Format: "CMV1", a count, then per entry the key (length-prefixed UTF-8), times in epoch
    /// milliseconds (`Int64.min` for none), x, y, level, battery (NaN for none); little-endian.
    func encoded() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(8 + entries.count * 56)
        out += Self.magic
        Self.put(UInt32(entries.count), &out)
        for (key, e) in entries.sorted(by: { $0.key < $1.key }) {
            let k = Array(key.utf8.prefix(Int(UInt16.max)))
            Self.put(UInt16(k.count), &out)
            out += k
            Self.put(UInt64(bitPattern: e.lastTime.milliseconds), &out)
            Self.put(UInt64(bitPattern: e.lastPositionTime?.milliseconds ?? Int64.min), &out)
            Self.put(e.x.bitPattern, &out)
            Self.put(e.y.bitPattern, &out)
            Self.put(UInt32(bitPattern: Int32(clamping: e.level)), &out)
            Self.put((e.battery ?? .nan).bitPattern, &out)
        }
        return Data(out)
    }

    /// Reads what ``encoded()`` wrote; throws on anything else (a truncated or foreign blob).
    init(decoding data: Data) throws(SubjectMovementsError) {
        let bytes = [UInt8](data)
        var at = 0
        func take(_ n: Int) throws(SubjectMovementsError) -> ArraySlice<UInt8> {
            guard n >= 0, bytes.count - at >= n else { throw .truncated(at: at) }
            defer { at += n }
            return bytes[at..<at + n]
        }
        func int<T: FixedWidthInteger>(_: T.Type) throws(SubjectMovementsError) -> T {
            var v: T = 0
            for (i, b) in try take(MemoryLayout<T>.size).enumerated() { v |= T(b) << (8 * i) }
            return v
        }
        guard Array(try take(4)) == Self.magic else { throw .unknownFormat }
        let count = try int(UInt32.self)
        // Each entry takes at least 46 bytes: a count beyond what the blob can hold is corrupt.
        guard Int(count) <= (bytes.count - at) / 46 else { throw .truncated(at: at) }
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            let n = Int(try int(UInt16.self))
            let key = String(decoding: try take(n), as: UTF8.self)
            let last = Int64(bitPattern: try int(UInt64.self))
            let lastPosition = Int64(bitPattern: try int(UInt64.self))
            let x = Double(bitPattern: try int(UInt64.self))
            let y = Double(bitPattern: try int(UInt64.self))
            let level = Int(Int32(bitPattern: try int(UInt32.self)))
            let battery = Double(bitPattern: try int(UInt64.self))
            entries[key] = Entry(
                lastTime: Instant(milliseconds: last),
                lastPositionTime: lastPosition == Int64.min ? nil : Instant(milliseconds: lastPosition),
                x: x, y: y, level: level, battery: battery.isNaN ? nil : battery)
        }
    }

    init() {}

    private static let magic: [UInt8] = Array("CMV1".utf8)

    private static func put<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { out += $0 }
    }
}

/// Why a stored movements blob could not be read; a restart then keeps the subjects' rows.
enum SubjectMovementsError: Error, CustomStringConvertible {
    case unknownFormat
    case truncated(at: Int)

    var description: String {
        switch self {
        case .unknownFormat: "the movements blob is not in the CMV1 format"
        case .truncated(let at): "the movements blob ends early (at byte \(at))"
        }
    }
}
