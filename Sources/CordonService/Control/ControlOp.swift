/// Every control op (docs/protocol.md, "Control requests"): the one table that the ZeroMQ
/// control socket, the HTTP API, replay's control lines and the fuzzer read.
///
/// For each op: who answers it (the service, which knows its sockets, files and store; or the
/// engine), the least role that may send it, and whether it changes state — then its requests
/// are audited and `by` defaults to the caller's name. The switches below are exhaustive, so a
/// new op cannot be added without deciding all three. The order is the fuzzer's: a control
/// input's line that starts with byte b asks for `allCases[b % allCases.count]`
/// (tools/make-fuzz-corpus.py keeps the same list).
public enum ControlOp: String, CaseIterable, Sendable {
    case ping
    case siteGet = "site.get"
    case siteReload = "site.reload"
    case track
    case registryUpsert = "registry.upsert"
    case registryGet = "registry.get"
    case registryRemove = "registry.remove"
    case headcount
    case whereis
    case presence
    case parking
    case journey
    case alarmsActive = "alarms.active"
    case alarmsAck = "alarms.ack"
    case permitCreate = "permit.create"
    case permitClose = "permit.close"
    case permitList = "permit.list"
    case musterStart = "muster.start"
    case musterStatus = "muster.status"
    case musterMark = "muster.mark"
    case musterEnd = "muster.end"
    case musterList = "muster.list"
    case bookingCreate = "booking.create"
    case bookingCancel = "booking.cancel"
    case bookingList = "booking.list"
    case auditList = "audit.list"
    case reportPositioning = "report.positioning"
    case forwardStatus = "forward.status"
    case historyViolations = "history.violations"
    case historyPassages = "history.passages"

    /// Who answers an op.
    public enum Answerer: Sendable {
        /// The service: its sockets, its site file, its store, its forwarding.
        case service
        /// The engine: live state and the rules.
        case engine
    }

    public var answeredBy: Answerer {
        switch self {
        case .ping, .siteGet, .siteReload, .track, .auditList, .forwardStatus, .historyViolations, .historyPassages:
            return .service
        case .registryUpsert, .registryGet, .registryRemove, .headcount, .whereis, .presence, .parking, .journey,
             .alarmsActive, .alarmsAck, .permitCreate, .permitClose, .permitList, .musterStart, .musterStatus,
             .musterMark, .musterEnd, .musterList, .bookingCreate, .bookingCancel, .bookingList, .reportPositioning:
            return .engine
        }
    }

    /// Whether the op changes state: its requests are audited and `by` defaults to the caller.
    public var changesState: Bool {
        switch self {
        case .siteReload, .registryUpsert, .registryRemove, .alarmsAck, .permitCreate, .permitClose, .musterStart,
             .musterMark, .musterEnd, .bookingCreate, .bookingCancel:
            return true
        case .ping, .siteGet, .track, .registryGet, .headcount, .whereis, .presence, .parking, .journey, .alarmsActive,
             .permitList, .musterStatus, .musterList, .bookingList, .auditList, .reportPositioning, .forwardStatus,
             .historyViolations, .historyPassages:
            return false
        }
    }

    /// The least role that may send the op (docs/security.md).
    public var role: Role {
        switch self {
        // A gateway that may only push positions can still ask whether the service is up.
        case .ping: return .ingest
        // Reloading the site changes every zone's rules: the site's owner does it.
        case .siteReload: return .admin
        // Who did what is for those who answer for it.
        case .auditList: return .operator
        case .registryUpsert, .registryRemove, .alarmsAck, .permitCreate, .permitClose, .musterStart, .musterMark,
             .musterEnd, .bookingCreate, .bookingCancel:
            return .operator
        case .siteGet, .track, .registryGet, .headcount, .whereis, .presence, .parking, .journey, .alarmsActive,
             .permitList, .musterStatus, .musterList, .bookingList, .reportPositioning, .forwardStatus,
             .historyViolations, .historyPassages:
            return .viewer
        }
    }

    /// The role a request for `name` needs: an op not in the table needs `viewer` (and is
    /// answered `unknown-op`).
    public static func role(for name: String) -> Role { ControlOp(rawValue: name)?.role ?? .viewer }

    /// Whether a request for `name` changes state.
    public static func changes(_ name: String) -> Bool { ControlOp(rawValue: name)?.changesState ?? false }
}
