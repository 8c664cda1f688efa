/// The stable ids of what the engine publishes: FNV-1a over the fields that identify a thing,
/// each field closed by a separator byte so that ("ab", "c") and ("a", "bc") differ. The same
/// fields give the same id in every run and every replay, which makes outputs comparable byte
/// for byte and lets a client that cannot ask the service (the simulator writing a replay file)
/// name an alarm it will acknowledge.
public struct StableID: Sendable {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A hash of `fields`, in order.
    public init(_ fields: String...) {
        for f in fields { mix(f) }
    }

    /// Adds a field (a salt, when the id is taken already).
    public mutating func mix(_ field: String) {
        for b in field.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        h ^= 0x1f
        h = h &* 0x0000_0100_0000_01b3
    }

    /// The id with its prefix: `prefix` and 16 hexadecimal digits.
    public func id(prefix: String) -> String {
        let s = String(h, radix: 16)
        return prefix + String(repeating: "0", count: 16 - s.count) + s
    }

    /// The id with `prefix`, salted with 1, 2, 3… while `taken` says it is in use: two things
    /// of one instant never share an id, and the first keeps the unsalted one (so ids already
    /// stored stay what they are).
    public func unique(prefix: String, taken: (String) -> Bool) -> String {
        var h = self
        var id = h.id(prefix: prefix)
        var salt = 0
        while taken(id) {
            salt += 1
            h.mix(String(salt))
            id = h.id(prefix: prefix)
        }
        return id
    }

    /// A violation's id: its kind, subject key, scope and raise instant (`V-…`).
    public static func violation(kind: String, subject: String, scope: String, at t: Instant) -> StableID {
        StableID(kind, subject, scope, String(t.milliseconds))
    }
}
