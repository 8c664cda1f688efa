import CordonCore
import Foundation

/// Reads what ``ByteWriter`` wrote, refusing anything short or malformed with a
/// ``StoredBytesError`` instead of reading past the end. Lengths and counts come from disk, so
/// each is checked against the bytes left before anything is sized by it.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) throws(StoredBytesError) -> ArraySlice<UInt8> {
        guard n >= 0, remaining >= n else { throw .truncated(at: offset) }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func int<T: FixedWidthInteger>(_: T.Type) throws(StoredBytesError) -> T {
        var v: T = 0
        for (i, b) in try take(MemoryLayout<T>.size).enumerated() { v |= T(b) << (8 * i) }
        return v
    }

    mutating func double() throws(StoredBytesError) -> Double { Double(bitPattern: try int(UInt64.self)) }

    mutating func instant() throws(StoredBytesError) -> Instant { Instant(milliseconds: try int(Int64.self)) }

    mutating func string() throws(StoredBytesError) -> String {
        let n = Int(try int(UInt32.self))
        return String(decoding: try take(n), as: UTF8.self)
    }

    mutating func bool() throws(StoredBytesError) -> Bool {
        switch try int(UInt8.self) {
        case 0: return false
        case 1: return true
        default: throw .malformed(at: offset - 1, "a flag that is neither 0 nor 1")
        }
    }

    mutating func optional<T>(_ read: (inout ByteReader) throws(StoredBytesError) -> T) throws(StoredBytesError) -> T? {
        try bool() ? try read(&self) : nil
    }

    /// A count of items that each take at least `minBytes`: one the bytes left cannot hold is corrupt.
    mutating func count(minBytes: Int) throws(StoredBytesError) -> Int {
        let n = Int(try int(UInt32.self))
        guard n <= remaining / max(1, minBytes) else { throw .truncated(at: offset) }
        return n
    }
}

/// Why stored live-state bytes could not be read. A restart then says so and keeps what it
/// could read (docs/operations.md): the rows without the movements, or the older snapshot.
enum StoredBytesError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(String)
    case truncated(at: Int)
    case malformed(at: Int, String)

    var description: String {
        switch self {
        case .unknownFormat(let what): "not a live-state record this version reads: \(what)"
        case .truncated(let at): "the stored record ends early (at byte \(at))"
        case .malformed(let at, let what): "the stored record is malformed at byte \(at): \(what)"
        }
    }
}
