/// Tailgating (尾随): the gate's sensor counted more people through than credentials shown.
///
/// One person credential (`person` or `card`) lets one person through; a `count` above one
/// means others followed. The holder's own passage is decided as usual; the tailgating is
/// raised against the holder, whose credential was used. A plate credential carries the
/// people in the vehicle, so its count is not checked.
enum TailgatingRule {
    static func check(_ p: GatePassage) -> AccessReason? {
        guard let n = p.count, n > 1 else { return nil }
        if case .plate = p.credential { return nil }
        return .warning(.tailgating, "\(n) people passed on one credential (\(n - 1) followed)")
    }
}
