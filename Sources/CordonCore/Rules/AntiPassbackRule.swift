/// Anti-passback (防反潜回): a credential cannot enter twice without leaving in between, nor
/// leave without having entered — the classic sign of a card passed back over the fence to
/// someone else, or of a passage that bypassed the gate.
///
/// Per gate, `anti_passback`:
/// - `hard`: the passage is denied, and `anti-passback` raised;
/// - `soft`: the passage is allowed, and `anti-passback` raised;
/// - `off`: the passage is allowed; the finding is still written in the decision's reasons.
enum AntiPassbackRule {
    /// The finding for a passage of a subject whose ledger record is `inside` (nil when not on site).
    static func check(_ p: GatePassage, gate: Gate, inside: PresenceEntry?) -> AccessReason? {
        let effect: AccessReason.Effect = gate.antiPassback == .hard ? .deny : .warn
        switch (p.direction, inside) {
        case (.in, let entry?):
            return AccessReason(.alreadyInside,
                                "already on site: entered at \(entry.gate) at \(entry.since.rfc3339) and not recorded leaving",
                                effect: effect)
        case (.out, nil):
            return AccessReason(.notInside, "no entry on record to leave from", effect: effect)
        default:
            return nil
        }
    }

    /// Whether the finding raises the `anti-passback` violation at this gate.
    static func raises(at gate: Gate) -> Bool { gate.antiPassback != .off }
}
