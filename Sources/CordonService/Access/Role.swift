/// What a client may do (docs/protocol.md, "Transport"), from the least to the most.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// An RTLS engine, a GNSS gateway, a gate controller: may push; on control only `ping`.
    case ingest
    /// A display, a report script: may subscribe and use the ops that change nothing.
    case viewer
    /// A control-room operator: also acknowledges, issues permits and bookings, keeps the
    /// registry and runs musters.
    case `operator`
    /// Whoever runs the service: everything, also `site.reload`.
    case admin

    /// The three sockets of docs/protocol.md, "Transport", by the ZAP domain each is checked under.
    public enum Socket: String, Sendable, CaseIterable {
        case ingest, events, control
    }

    /// Whether a client of this role may complete a handshake with `socket`.
    public func may(use socket: Socket) -> Bool {
        switch socket {
        case .ingest: return self == .ingest || self == .admin
        case .events: return self != .ingest
        case .control: return true
        }
    }

    private var rank: Int {
        switch self {
        case .ingest: return 0
        case .viewer: return 1
        case .operator: return 2
        case .admin: return 3
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}
