import CordonCore

/// Every control op (docs/protocol.md, "Control requests"): the one table that the ZeroMQ
/// control socket, the HTTP API, replay's control lines and the fuzzer read.
///
/// For each op: who answers it (the service, which knows its sockets, files and store; or the
/// engine, given a ``ControlCommand``), the least role that may send it, and whether it changes
/// state — then its requests are audited and `by` defaults to the caller's name. The switches below are exhaustive, so a
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

    /// The op a request asks for: what the table does not know is refused as `unknown-op`,
    /// and a request that names no op as `invalid-request`.
    public static func of(_ request: Value) throws(RequestError) -> ControlOp {
        guard case .object = request else { throw .invalid("a request is a JSON object with an 'op'") }
        guard let name = request["op"]?.stringValue else { throw .invalid("the request has no string 'op'") }
        guard let op = ControlOp(rawValue: name) else { throw .unknownOp(name) }
        return op
    }

    /// The ops the service answers itself: its sockets, site file, store and forwarding.
    public enum ServiceOp: Sendable {
        case ping, siteGet, siteReload, track, auditList, forwardStatus, historyViolations, historyPassages
    }

    /// Who answers a request for this op, and with what: the service, or the engine given its
    /// ``ControlCommand`` (its live state and rules).
    public enum Route: Sendable {
        case service(ServiceOp)
        case engine(ControlCommand)
    }

    /// Where a request for this op goes, its members read and checked (``ControlRequests``):
    /// a request whose members are wrong is refused here, before the engine.
    public func route(_ request: Value) throws(RequestError) -> Route {
        switch self {
        case .ping: return .service(.ping)
        case .siteGet: return .service(.siteGet)
        case .siteReload: return .service(.siteReload)
        case .track: return .service(.track)
        case .auditList: return .service(.auditList)
        case .forwardStatus: return .service(.forwardStatus)
        case .historyViolations: return .service(.historyViolations)
        case .historyPassages: return .service(.historyPassages)
        case .registryUpsert: return .engine(.registryUpsert(try ControlRequests.registryUpsert(request)))
        case .registryGet: return .engine(.registryGet(ControlRequests.registryGet(request)))
        case .registryRemove: return .engine(.registryRemove(try ControlRequests.registryRemove(request)))
        case .headcount: return .engine(.headcount(zone: request["zone"]?.stringValue))
        case .whereis: return .engine(.whereis(try ControlRequests.whereis(request)))
        case .presence: return .engine(.presence(try ControlRequests.presence(request)))
        case .parking: return .engine(.parking)
        case .journey: return .engine(.journey(booking: try ControlRequests.journey(request)))
        case .alarmsActive: return .engine(.alarmsActive(kind: request["kind"]?.stringValue, subject: request["subject"]?.stringValue))
        case .alarmsAck:
            let (id, by) = try ControlRequests.alarmsAck(request)
            return .engine(.alarmsAck(id: id, by: by))
        case .permitCreate: return .engine(.permitCreate(try ControlRequests.permitCreate(request)))
        case .permitClose:
            let (id, by) = try ControlRequests.permitClose(request)
            return .engine(.permitClose(id: id, by: by))
        case .permitList: return .engine(.permitList(zone: request["zone"]?.stringValue, activeOnly: request["active"]?.boolValue ?? false))
        case .musterStart: return .engine(.musterStart(try ControlRequests.musterStart(request)))
        case .musterStatus: return .engine(.musterStatus)
        case .musterMark: return .engine(.musterMark(try ControlRequests.musterMark(request)))
        case .musterEnd: return .engine(.musterEnd(by: request["by"]?.stringValue))
        case .musterList: return .engine(.musterList)
        case .bookingCreate: return .engine(.bookingCreate(request))
        case .bookingCancel: return .engine(.bookingCancel(id: try ControlRequests.bookingCancel(request)))
        case .bookingList: return .engine(.bookingList(try ControlRequests.bookingList(request)))
        case .reportPositioning: return .engine(.reportPositioning(try ControlRequests.reportWindow(request)))
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
