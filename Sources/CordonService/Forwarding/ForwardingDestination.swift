import CordonCore
import Foundation

/// One platform Cordon forwards to (docs/forwarding.md), as the site file's `cordon.forwarding`
/// or the file of `serve --forwarding` lists it. Credentials are read from files named there,
/// never written in the list.
public struct ForwardingDestination: Sendable, Equatable {
    /// How messages reach it.
    public enum Transport: Sendable, Equatable {
        /// HTTP(S) POST of the envelope, as the profile shapes it.
        case http(url: URL, profile: HTTPProfile)
        /// ZeroMQ PUSH of the envelope, one frame a message, to a platform on the park network.
        /// PUSH has no acknowledgement: a message counts as delivered once the socket has queued
        /// it for a connected peer (docs/forwarding.md says what that cannot promise).
        case zmq(endpoint: String)
        /// JT/T 809-2019's main link to a transport authority's upper platform: hazardous-
        /// chemicals vehicles' locations (0x1202) and alarms (0x1402). Like PUSH, the protocol
        /// does not acknowledge them: written to a logged-in link counts as delivered.
        case jtt809(JTT809Settings)
    }

    /// How an HTTP destination wants its messages.
    public enum HTTPProfile: Sendable, Equatable {
        /// The envelope as the JSON body, `X-Cordon-Signature: sha256=<hex HMAC-SHA256 of the
        /// body>` with the shared secret, `Idempotency-Key: <msg_id>`.
        case generic(secret: [UInt8])
        /// The envelope SM4-encrypted into `data`, beside the platform's app id and secret and
        /// the enterprise's and gateway's codes; taken when the answer's `code` is 200.
        case mem(MEMUpload)
    }

    /// `http` or `zmq`, as the list names it.
    public var kind: String {
        switch transport {
        case .http: "http"
        case .zmq: "zmq"
        case .jtt809: "jtt809"
        }
    }

    public var id: String
    public var transport: Transport
    /// Message types it takes (`alarm.raised`, `alarm.*`); a trailing `*` matches any rest.
    public var types: [String]
    /// Only alarms of these kinds, about these zones or enterprises, when given.
    public var kinds: Set<String>?
    public var zones: Set<String>?
    public var enterprises: Set<String>?
    /// Whether subjects' names go out (the person's name is personal data; ids and tags always do).
    public var names: Bool
    /// A message not delivered this long after it was queued is given up.
    public var giveUpS: Double
    /// The longest wait between two attempts (the back-off doubles up to it).
    public var maxBackoffS: Double
    /// How often a headcount snapshot is sent, when it takes them.
    public var snapshotS: Double
    /// How often each hazardous-chemicals vehicle's position is sent, when it takes them.
    public var vehicleIntervalS: Double
    /// The codes the platform gave the park and the gateway, when it gave any.
    public var park: String?
    public var gateway: String?

    /// Whether a message of `type` about `v` goes to this destination.
    public func takes(type: String, _ v: Violation) -> Bool {
        guard types.contains(where: { Self.matches($0, type) }) else { return false }
        if let kinds, !kinds.contains(v.kind.rawValue) { return false }
        if let zones, !(v.zoneID.map(zones.contains) ?? false) && !(v.subject.kind == "zone" && zones.contains(v.subject.id)) { return false }
        if let enterprises, !(v.subject.enterprise.map(enterprises.contains) ?? false) { return false }
        return true
    }

    /// Whether it takes messages of `type` at all.
    public func takes(type: String) -> Bool { types.contains { Self.matches($0, type) } }

    static func matches(_ pattern: String, _ type: String) -> Bool {
        pattern.hasSuffix("*") ? type.hasPrefix(pattern.dropLast()) : pattern == type
    }

    public init(id: String, transport: Transport, types: [String], kinds: Set<String>? = nil, zones: Set<String>? = nil,
                enterprises: Set<String>? = nil, names: Bool = false, giveUpS: Double = 86_400, maxBackoffS: Double = 300,
                snapshotS: Double = 60, vehicleIntervalS: Double = 30, park: String? = nil, gateway: String? = nil) {
        self.vehicleIntervalS = vehicleIntervalS
        self.maxBackoffS = maxBackoffS
        self.snapshotS = snapshotS
        self.id = id
        self.transport = transport
        self.types = types
        self.kinds = kinds
        self.zones = zones
        self.enterprises = enterprises
        self.names = names
        self.giveUpS = giveUpS
        self.park = park
        self.gateway = gateway
    }
}
