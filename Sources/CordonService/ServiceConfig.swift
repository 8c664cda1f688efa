/// How `cordon serve` is set up: the site, the data directory, the three addresses.
public struct ServiceConfig: Sendable {
    public var sitePath: String
    public var dataDirectory: String
    public var ingest = "tcp://127.0.0.1:7001"
    public var events = "tcp://127.0.0.1:7002"
    public var control = "tcp://127.0.0.1:7003"
    /// CURVE: the server's Z85 secret key; with it, all three sockets require CURVE.
    public var curveSecretKey: String?
    /// CURVE: the clients let in (ZAP), each with its role and name; required with a secret key.
    public var curveClients = ClientKeys()
    /// Bind to non-loopback addresses without CURVE keys.
    public var allowInsecureBind = false
    /// Largest ingest frame accepted, in bytes; larger ones are dropped by ZeroMQ and rejected.
    public var maxFrameBytes = 1 << 20
    /// How often the clock-driven rules run.
    public var tickMilliseconds = 250
    /// Messages more than this ahead of the wall clock are refused (`future-time`): one wrong
    /// source clock must not move the engine's clock, and every timed rule, into the future.
    public var maxFutureSkewS: Double = 300
    /// How often the live state of subjects that only moved is stored (in the background): what
    /// a crash can lose of where subjects stood, never of zones, entry times or timers.
    public var journalSeconds: Double = 1
    /// No store at all: nothing is durable. Only for `cordon bench --without-store`, to measure
    /// what the store costs the hot path.
    public var withoutStore = false
    /// The store without the live-state journal: a crash then loses live state since the last
    /// snapshot. Only for `cordon bench --without-journal`, to measure what the journal costs.
    public var withoutJournal = false
    /// The HTTP side (console, API, metrics), when it is on: how it reaches the engine thread.
    public var httpBridge: HTTPBridge?
    /// A JSON file listing the forwarding destinations, instead of the site file's
    /// `cordon.forwarding` (docs/forwarding.md).
    public var forwardingFile: String?

    public init(sitePath: String, dataDirectory: String) {
        self.sitePath = sitePath
        self.dataDirectory = dataDirectory
    }

    /// True when an address is loopback, inproc or ipc (not reachable from another host).
    public static func isLocal(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("inproc://") || endpoint.hasPrefix("ipc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        let host = endpoint.dropFirst(6).split(separator: ":").dropLast().joined(separator: ":")
        return host.hasPrefix("127.") || host == "localhost" || host == "[::1]"
    }
}
