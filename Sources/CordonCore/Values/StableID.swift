/// The stable ids of what the engine publishes: FNV-1a over the fields that identify a thing,
/// each field closed by a separator byte so that ("ab", "c") and ("a", "bc") differ. The same
/// fields give the same id in every run and every replay, which makes outputs comparable byte
/// for byte and lets a client that cannot ask the service (the simulator writing a replay file)
/// name an alarm it will acknowledge.
public struct StableID: Sendable {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of no field yet: fields are added with `mix`.
    public init() {}

    /// A hash of `fields`, in order.
    public init(_ fields: String...) {
        for f in fields { mix(f) }
    }

    /// Adds a field (a salt, when the id is taken already).
    public mutating func mix(_ field: String) {
        mixBytes(field)
        endField()
    }

    /// Adds one field made of `first` then `second`, as `mix(first + second)` would, without
    /// making the joined string.
    public mutating func mix(_ first: String, _ second: String) {
        mixBytes(first)
        mixBytes(second)
        endField()
    }

    /// Adds `n` written in decimal as a field, as `mix(String(n))` would, without making the
    /// string: ids hash instants by their milliseconds.
    public mutating func mix(decimal n: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 19 digits and a sign fit
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            var m = n.magnitude
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") &+ UInt8(m % 10)
                m /= 10
            } while m > 0
            if n < 0 {
                i -= 1
                buf[i] = UInt8(ascii: "-")
            }
            for b in buf[i...] { mixByte(b) }
        }
        endField()
    }

    @inline(__always) private mutating func mixByte(_ b: UInt8) {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }

    private mutating func mixBytes(_ s: String) {
        var s = s
        s.withUTF8 { for b in $0 { mixByte(b) } }
    }

    private mutating func endField() {
        h ^= 0x1f
        h = h &* 0x0000_0100_0000_01b3
    }

    /// The id with its prefix: `prefix` and 16 hexadecimal digits, lower case, zero-padded.
    public func id(prefix: String) -> String {
        var prefix = prefix
        return prefix.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count + 16) { out in
                _ = out.initialize(fromContentsOf: p)
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { digits in
                    for i in 0..<16 {
                        out[p.count + i] = digits[Int((h >> UInt64(60 - 4 * i)) & 0xf)]
                    }
                }
                return p.count + 16
            }
        }
    }

    /// The id with `prefix`, salted with 1, 2, 3… while `taken` says it is in use: two things
    /// of one instant never share an id, and the first keeps the unsalted one (so ids already
    /// stored stay what they are).
    public func unique(prefix: String, taken: (String) -> Bool) -> String {
        var h = self
        var id = h.id(prefix: prefix)
        var salt: Int64 = 0
        while taken(id) {
            salt += 1
            h.mix(decimal: salt)
            id = h.id(prefix: prefix)
        }
        return id
    }

    /// A violation's id from its subject key written out (`person:P0042`).
    public static func violation(kind: String, subject: String, scope: String, at t: Instant) -> StableID {
        var h = StableID()
        h.mix(kind)
        h.mix(subject)
        h.mix(scope)
        h.mix(decimal: t.milliseconds)
        return h
    }

    /// A violation's id: its kind, subject key (`kind:id`), scope and raise instant (`V-…`).
    public static func violation(kind: String, subjectKind: String, subjectID: String, scope: String, at t: Instant) -> StableID {
        var h = StableID()
        h.mix(kind)
        h.mixBytes(subjectKind)
        h.mixByte(UInt8(ascii: ":"))
        h.mixBytes(subjectID)
        h.endField()
        h.mix(scope)
        h.mix(decimal: t.milliseconds)
        return h
    }
}
