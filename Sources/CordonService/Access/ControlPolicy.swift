/// Which role each control op needs, and which ops change something (and so are audited).
///
/// Ops not named here change nothing and need `viewer`: a new read-only op is open to viewers
/// without an entry, and a new changing op must be added here to be allowed at all beyond admin.
public enum ControlPolicy {
    /// The ops that change state, with the role each needs.
    public static let changing: [String: Role] = [
        "alarms.ack": .operator,
        "registry.upsert": .operator, "registry.remove": .operator,
        "booking.create": .operator, "booking.cancel": .operator,
        "permit.create": .operator, "permit.close": .operator,
        "muster.start": .operator, "muster.mark": .operator, "muster.end": .operator,
        "site.reload": .admin,
    ]

    /// Read-only ops that need more than `viewer`: the audit says who did what.
    static let restrictedReads: [String: Role] = [
        "audit.list": .operator,
    ]

    /// The role `op` needs.
    public static func role(for op: String) -> Role {
        if op == "ping" { return .ingest }
        return changing[op] ?? restrictedReads[op] ?? .viewer
    }

    /// Whether `op` changes something: its requests are audited and `by` defaults to the caller.
    public static func changes(_ op: String) -> Bool { changing[op] != nil }
}
