/// Who sent a control request: the name their changes are credited to and their role.
public struct Caller: Sendable, Equatable, CustomStringConvertible {
    /// Credited in `by` when a changing request has none, and in the audit.
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    /// Without CURVE the sockets bind loopback only (or `--allow-insecure-bind` was given on
    /// purpose): whoever reaches them runs the service, and is named by where they came from.
    public static func local(peer: String?) -> Caller {
        Caller(name: peer.map { "local \($0)" } ?? "local", role: .admin)
    }

    public var description: String { "\(name) (\(role.rawValue))" }
}
