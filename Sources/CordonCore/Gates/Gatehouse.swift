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
        var h = StableID()
        h.mix(p.gate)
        h.mix(decimal: p.time.milliseconds)
        h.mix(p.direction.rawValue)
        switch p.credential {
        case .person(let s): h.mix("person:", s)
        case .card(let s): h.mix("card:", s)
        case .plate(let s): h.mix("plate:", s)
        }
        let id = h.unique(prefix: "A-") { idsAt.ids.contains($0) }
        idsAt.ids.insert(id)
        return id
    }
}
