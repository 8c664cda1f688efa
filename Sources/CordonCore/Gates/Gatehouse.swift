/// Everything the engine keeps about gates: the presence ledger, the bookings, the presence
/// rule's watch over positions, and the records of passages waiting to be made durable.
struct Gatehouse {
    var ledger = PresenceLedger()
    var bookings = BookingBook()
    var presence = PresenceRule()
    /// Kept only when ``Engine/keepsGateRecords`` is on (the service's pipeline drains them).
    var records: [GateRecord] = []
    var keepsRecords = false
    /// Decision ids given at the newest passage instant, to keep ids unique within one millisecond.
    var idsAt: (time: Instant, ids: Set<String>) = (Instant(milliseconds: .min), [])

    /// A stable id for a passage's decision: FNV-1a over what identifies it, salted when the
    /// same passage occurs twice within one millisecond.
    mutating func decisionID(_ p: GatePassage) -> String {
        if p.time != idsAt.time { idsAt = (p.time, []) }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) {
            for b in s.utf8 {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
            h ^= 0x1f
            h = h &* 0x0000_0100_0000_01b3
        }
        mix(p.gate)
        mix(String(p.time.milliseconds))
        mix(p.direction.rawValue)
        switch p.credential {
        case .person(let s): mix("person:" + s)
        case .card(let s): mix("card:" + s)
        case .plate(let s): mix("plate:" + s)
        }
        var id = Self.hex(h)
        var salt = 0
        while idsAt.ids.contains(id) {
            salt += 1
            mix(String(salt))
            id = Self.hex(h)
        }
        idsAt.ids.insert(id)
        return id
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return "A-" + String(repeating: "0", count: 16 - s.count) + s
    }
}
