/// What a transport authority's upper platform gave Cordon for its JT/T 809 main link
/// (docs/forwarding.md, "JT/T 809"), from a `jtt809` destination.
public struct JTT809Settings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: UInt32
    public var password: String
    /// The lower platform's access code (MSG_GNSSCENTERID).
    public var accessCode: UInt32
    /// The encryption constants, when the link's bodies are encrypted (all three or none).
    public var m1: UInt32?
    public var ia1: UInt32?
    public var ic1: UInt32?
    /// 1 blue, 2 yellow (dangerous-goods trucks), 3 black, 4 white, 5 green, 9 other.
    public var plateColor: UInt8 = 2
    public var heartbeatS: Double = 60
    /// This platform's id (11 characters) in alarm reports, as the agreement names it.
    public var platformID: String = ""
    /// The down link Cordon does not run: announced as 0.0.0.0:0.
    public var downLinkIP: String = "0.0.0.0"
    public var downLinkPort: UInt16 = 0

    public init(host: String, port: Int, user: UInt32, password: String, accessCode: UInt32) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.accessCode = accessCode
    }

    var cipher: JTT809Frame.Cipher? {
        guard let m1, let ia1, let ic1 else { return nil }
        return .init(m1: m1, ia1: ia1, ic1: ic1)
    }
}
