/// A hash table keyed by source id (a tag or a plate), made for the engine's door: one look-up
/// for every message, so it must cost little (docs/performance.md).
///
/// `Dictionary<SourceID, _>` hashes with SipHash (seeding, combining each byte, finalising:
/// about 420 instructions a look-up for a seven-character tag). This table hashes the id's bytes
/// with FNV-1a from a random seed drawn for each table and mixes the result once (MurmurHash3's
/// finaliser), probes linearly, and compares the stored 64-bit hash before the id, so a
/// look-up reads one `UInt64` array and compares one string. The seed keeps ids chosen to
/// collide from being written in advance; the sources in the table are only those that sent
/// something, which the unknown-tag rule watches anyway.
///
/// Removal shifts the entries after the removed one back (no tombstones), so a table that
/// forgets and relearns tags for years stays as fast as a new one.
public struct SourceTable<Value> {
    /// The stored hash of each bucket; 0 marks an empty bucket (hashes are made odd).
    private var hashes: [UInt64]
    private var keys: [SourceID?]
    private var values: [Value?]
    private var mask: Int
    private let seed: UInt64
    /// Entries held.
    public private(set) var count = 0

    /// An empty table; `seed` fixes the hash (tests), otherwise it is random.
    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.seed = seed
        hashes = Array(repeating: 0, count: 16)
        keys = Array(repeating: nil, count: 16)
        values = Array(repeating: nil, count: 16)
        mask = 15
    }

    @inline(__always)
    private func hash(_ source: SourceID) -> UInt64 {
        var h: UInt64
        let text: String
        switch source {
        case .tag(let t): h = seed; text = t
        case .plate(let p): h = seed ^ 0x9E37_79B9_7F4A_7C15; text = p
        }
        // The bytes in place (a short id lives inside the `String` value itself); iterating the
        // UTF-8 view instead decodes each byte again from the string's representation.
        h = text.utf8.withContiguousStorageIfAvailable { bytes in
            var h = h
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        } ?? text.utf8.reduce(h) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h | 1
    }

    /// Whether a stored key is `source`: its kind, then its text (equal short strings compare
    /// as two words).
    @inline(__always)
    private static func same(_ stored: SourceID?, _ source: SourceID) -> Bool {
        switch (stored, source) {
        case (.tag(let a)?, .tag(let b)), (.plate(let a)?, .plate(let b)): a == b
        default: false
        }
    }

    /// The bucket holding `source`, or nil.
    @inline(__always)
    private func find(_ source: SourceID, hash h: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let stored = hashes[i]
            if stored == 0 { return nil }
            if stored == h, Self.same(keys[i], source) { return i }
            i = (i &+ 1) & mask
        }
    }

    /// The value kept for `source`; setting nil removes it.
    public subscript(source: SourceID) -> Value? {
        get {
            guard count > 0, let i = find(source, hash: hash(source)) else { return nil }
            return values[i]
        }
        set {
            guard let newValue else { remove(source); return }
            let h = hash(source)
            if let i = find(source, hash: h) { values[i] = newValue; return }
            if (count + 1) * 2 > hashes.count { grow() }
            var i = Int(truncatingIfNeeded: h) & mask
            while hashes[i] != 0 { i = (i &+ 1) & mask }
            hashes[i] = h
            keys[i] = source
            values[i] = newValue
            count += 1
        }
    }

    /// Removes `source` if it is there, shifting the entries after it back into place.
    public mutating func remove(_ source: SourceID) {
        guard count > 0, var hole = find(source, hash: hash(source)) else { return }
        hashes[hole] = 0
        keys[hole] = nil
        values[hole] = nil
        count -= 1
        var j = hole
        while true {
            j = (j &+ 1) & mask
            let h = hashes[j]
            if h == 0 { return }
            let home = Int(truncatingIfNeeded: h) & mask
            // The entry at j may stay when its home bucket lies cyclically in (hole, j]:
            // a search from its home reaches it without crossing the hole.
            let reachable = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if reachable { continue }
            hashes[hole] = h
            keys[hole] = keys[j]
            values[hole] = values[j]
            hashes[j] = 0
            keys[j] = nil
            values[j] = nil
            hole = j
        }
    }

    /// Removes everything, keeping the buckets.
    public mutating func removeAll() {
        for i in hashes.indices where hashes[i] != 0 {
            hashes[i] = 0
            keys[i] = nil
            values[i] = nil
        }
        count = 0
    }

    private mutating func grow() {
        let oldHashes = hashes, oldKeys = keys, oldValues = values
        let size = hashes.count * 2
        hashes = Array(repeating: 0, count: size)
        keys = Array(repeating: nil, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        for i in oldHashes.indices where oldHashes[i] != 0 {
            var j = Int(truncatingIfNeeded: oldHashes[i]) & mask
            while hashes[j] != 0 { j = (j &+ 1) & mask }
            hashes[j] = oldHashes[i]
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
        }
    }
}
