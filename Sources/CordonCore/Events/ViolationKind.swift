/// Every violation kind of docs/protocol.md, "Published events", v1.
public enum ViolationKind: String, Sendable, CaseIterable, Codable {
    case restrictedZone = "restricted-zone"
    case overcrowding
    case understaffed
    case overstay
    case loneWorker = "lone-worker"
    case crowding
    case manDown = "man-down"
    case sos, fall, tamper
    case tagOffline = "tag-offline"
    case lowBattery = "low-battery"
    case untracked
    case noEntryRecord = "no-entry-record"
    case unknownTag = "unknown-tag"
    case accessDenied = "access-denied"
    case tailgating
    case antiPassback = "anti-passback"
    case routeDeviation = "route-deviation"
    case speeding
    case illegalStop = "illegal-stop"
    case forbiddenArea = "forbidden-area"
    case lateArrival = "late-arrival"
    case parkingFull = "parking-full"
    /// A zone's positioning is too coarse, or has stopped, for its decisions to be trusted.
    case positioningDegraded = "positioning-degraded"
    /// The service's store cannot write: alarms still go out, marked not stored, and are held.
    case storeFailing = "store-failing"
    /// A message to another platform was given up (refused for good, or not delivered in time).
    case forwardingFailed = "forwarding-failed"

    /// The severity when the site does not override it. Life-threatening conditions are
    /// critical; conditions that need someone to act soon are major; the rest minor.
    public var defaultSeverity: Severity {
        switch self {
        case .sos, .manDown, .fall, .storeFailing: return .critical
        case .restrictedZone, .overcrowding, .loneWorker, .crowding, .tamper, .accessDenied, .tailgating,
             .routeDeviation, .speeding, .forbiddenArea, .untracked, .noEntryRecord, .understaffed, .tagOffline,
             .positioningDegraded, .forwardingFailed:
            return .major
        case .overstay, .lowBattery, .unknownTag, .antiPassback, .illegalStop, .lateArrival, .parkingFull:
            return .minor
        }
    }

    /// Position in `allCases`: an index into per-kind tables, which the per-position checks read
    /// without hashing. The switch is exhaustive, so a new kind cannot be left out.
    public var ordinal: Int {
        switch self {
        case .restrictedZone: 0
        case .overcrowding: 1
        case .understaffed: 2
        case .overstay: 3
        case .loneWorker: 4
        case .crowding: 5
        case .manDown: 6
        case .sos: 7
        case .fall: 8
        case .tamper: 9
        case .tagOffline: 10
        case .lowBattery: 11
        case .untracked: 12
        case .noEntryRecord: 13
        case .unknownTag: 14
        case .accessDenied: 15
        case .tailgating: 16
        case .antiPassback: 17
        case .routeDeviation: 18
        case .speeding: 19
        case .illegalStop: 20
        case .forbiddenArea: 21
        case .lateArrival: 22
        case .parkingFull: 23
        case .positioningDegraded: 24
        case .storeFailing: 25
        case .forwardingFailed: 26
        }
    }

    /// Kinds that end when an operator acknowledges them: the event kinds, and a confirmed fall.
    public var endsOnAcknowledgement: Bool { isEvent || self == .fall }

    /// Kinds that are events rather than lasting conditions: they stay active until acknowledged.
    public var isEvent: Bool {
        switch self {
        case .accessDenied, .tailgating, .antiPassback, .sos, .tamper, .forwardingFailed: return true
        default: return false
        }
    }
}
