/// One JT/T 809 message as it travels between a lower platform (Cordon) and an upper one
/// (docs/forwarding.md, "JT/T 809"): `0x5B`, the header, the body, a CRC, `0x5D`, with the
/// bytes between the flags escaped. Encoding and decoding only: no I/O.
///
/// The 2019 header is 30 bytes: length, serial number, message id, the lower platform's access
/// code, version, encryption flag and key, and the sending time (UTC seconds). The 2011 header
/// (22 bytes, no time) is kept so that the codec can be checked against frames published for it.
struct JTT809Frame: Equatable {
    enum Version: Equatable {
        case v2011, v2019

        var headerBytes: Int { self == .v2011 ? 22 : 30 }
        /// The version field: 1.0.0 for 2011 frames, 1.2.15 (as the 2019 standard numbers
        /// itself) for 2019.
        var flag: [UInt8] { self == .v2011 ? [1, 0, 0] : [1, 2, 15] }
    }

    /// The platform's obfuscation constants (M1, IA1, IC1), when the link encrypts bodies.
    struct Cipher: Equatable {
        var m1: UInt32
        var ia1: UInt32
        var ic1: UInt32

        /// The standard's XOR stream: per byte `key = IA1 × (key mod M1) + IC1`, the byte XORed
        /// with bits 20–27 of the key (32-bit arithmetic, wrapping). Its own inverse.
        func apply(_ bytes: [UInt8], key start: UInt32) -> [UInt8] {
            var key = start == 0 ? 1 : start
            let m = m1 == 0 ? 1 : m1
            return bytes.map { b in
                key = ia1 &* (key % m) &+ ic1
                return b ^ UInt8(truncatingIfNeeded: key >> 20)
            }
        }
    }

    var messageID: UInt16
    var serial: UInt32
    /// The lower platform's access code (MSG_GNSSCENTERID), as the upper platform gave it.
    var accessCode: UInt32
    /// Nonzero: the body is (to be) encrypted with this key.
    var encryptKey: UInt32 = 0
    var encrypted: Bool = false
    /// UTC seconds (2019 header only).
    var time: UInt64 = 0
    /// The body in clear.
    var body: [UInt8]

    static let head: UInt8 = 0x5B
    static let tail: UInt8 = 0x5D

    /// The bytes on the wire.
    func encoded(version: Version, cipher: Cipher?) -> [UInt8] {
        let payload = encrypted ? (cipher?.apply(body, key: encryptKey) ?? body) : body
        var w = ByteBuffer809()
        w.u32(UInt32(1 + version.headerBytes + payload.count + 2 + 1))
        w.u32(serial)
        w.u16(messageID)
        w.u32(accessCode)
        w.bytes(version.flag)
        w.u8(encrypted ? 1 : 0)
        w.u32(encryptKey)
        if version == .v2019 { w.u64(time) }
        w.bytes(payload)
        w.u16(Self.crc(w.data))
        var out: [UInt8] = [Self.head]
        out.reserveCapacity(w.data.count + 8)
        for b in w.data {
            switch b {
            case 0x5B: out += [0x5A, 0x01]
            case 0x5A: out += [0x5A, 0x02]
            case 0x5D: out += [0x5E, 0x01]
            case 0x5E: out += [0x5E, 0x02]
            default: out.append(b)
            }
        }
        out.append(Self.tail)
        return out
    }

    /// Why bytes between two flags are not a frame.
    enum Failure: Error, Equatable {
        case badEscape, tooShort, badLength, badCRC
    }

    /// A frame from the bytes between `0x5B` and `0x5D` (flags excluded), body decrypted.
    static func decode(escaped: ArraySlice<UInt8>, version: Version, cipher: Cipher?) throws(Failure) -> JTT809Frame {
        var raw: [UInt8] = []
        raw.reserveCapacity(escaped.count)
        var i = escaped.startIndex
        while i < escaped.endIndex {
            let b = escaped[i]
            if b == 0x5A || b == 0x5E {
                let next = escaped.index(after: i)
                guard next < escaped.endIndex else { throw .badEscape }
                switch (b, escaped[next]) {
                case (0x5A, 0x01): raw.append(0x5B)
                case (0x5A, 0x02): raw.append(0x5A)
                case (0x5E, 0x01): raw.append(0x5D)
                case (0x5E, 0x02): raw.append(0x5E)
                default: throw .badEscape
                }
                i = escaped.index(after: next)
            } else {
                raw.append(b)
                i = escaped.index(after: i)
            }
        }
        guard raw.count >= version.headerBytes + 2 else { throw .tooShort }
        var r = ByteReader809(raw)
        let length = r.u32()
        guard Int(length) == raw.count + 2 else { throw .badLength }
        let crc = UInt16(raw[raw.count - 2]) << 8 | UInt16(raw[raw.count - 1])
        guard crc == Self.crc(raw[..<(raw.count - 2)]) else { throw .badCRC }
        let serial = r.u32()
        let id = r.u16()
        let access = r.u32()
        r.skip(3)
        let encrypted = r.u8() == 1
        let key = r.u32()
        let time = version == .v2019 ? r.u64() : 0
        var body = Array(raw[version.headerBytes..<(raw.count - 2)])
        if encrypted, let cipher { body = cipher.apply(body, key: key) }
        return JTT809Frame(messageID: id, serial: serial, accessCode: access, encryptKey: key, encrypted: encrypted, time: time, body: body)
    }

    /// CRC-16/CCITT (polynomial 0x1021, initial 0xFFFF, no reflection) from the length field
    /// to the end of the body, before escaping.
    static func crc(_ bytes: some Collection<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}

/// Big-endian writing, as every JT/T 809 and 808 field is.
struct ByteBuffer809 {
    var data: [UInt8] = []

    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u16(_ v: UInt16) { data += [UInt8(v >> 8), UInt8(truncatingIfNeeded: v)] }
    mutating func u32(_ v: UInt32) { for s in stride(from: 24, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func u64(_ v: UInt64) { for s in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
    mutating func bytes(_ b: [UInt8]) { data += b }
    /// `b` cut or padded with zeros to exactly `n` bytes (plates, ids, passwords).
    mutating func fixed(_ b: [UInt8], _ n: Int) { data += b.prefix(n) + [UInt8](repeating: 0, count: max(0, n - b.count)) }
}

/// Big-endian reading of a frame already checked for length.
struct ByteReader809 {
    let data: [UInt8]
    var at = 0

    init(_ data: [UInt8]) { self.data = data }

    var remaining: Int { data.count - at }

    mutating func u8() -> UInt8 {
        guard at < data.count else { return 0 }
        defer { at += 1 }
        return data[at]
    }
    mutating func u16() -> UInt16 { UInt16(u8()) << 8 | UInt16(u8()) }
    mutating func u32() -> UInt32 { UInt32(u16()) << 16 | UInt32(u16()) }
    mutating func u64() -> UInt64 { UInt64(u32()) << 32 | UInt64(u32()) }
    mutating func skip(_ n: Int) { at = min(data.count, at + n) }
}
