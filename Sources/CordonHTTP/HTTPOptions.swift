import CordonService

/// How the HTTP side is set up (docs/protocol.md, "HTTP").
public struct HTTPOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound one is reported by ``ConsoleServer/onBound``.
    public var port = 7080
    /// Callers by bearer token; nil: every caller is an `operator` named `local`, loopback only.
    public var tokens: TokenFile?
    public var allowInsecureBind = false
    /// The console's static files (index.html, app.js, …).
    public var consoleDirectory: String
    /// Leaflet's files (Debian's libjs-leaflet), served at /assets/leaflet/.
    public var leafletDirectory = "/usr/share/javascript/leaflet"
    /// How long a request waits for the engine thread before 503.
    public var engineTimeoutS = 5.0

    public init(consoleDirectory: String) {
        self.consoleDirectory = consoleDirectory
    }

    /// Parses `--http ADDR`: `HOST:PORT`, `:PORT`, `[::1]:PORT`, or `off` (nil).
    public static func parseAddress(_ text: String) throws(HTTPSetupError) -> (host: String, port: Int)? {
        if text == "off" { return nil }
        guard let colon = text.lastIndex(of: ":") else { throw .address(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { throw .address(text) }
        return (host, port)
    }

    /// True for 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        host.hasPrefix("127.") || host == "::1" || host == "localhost"
    }

    /// Refuses a reachable address without tokens, as the ZeroMQ sockets do without CURVE.
    public func validate() throws(HTTPSetupError) {
        if tokens == nil, !allowInsecureBind, !Self.isLoopback(host) { throw .insecureBind(host) }
    }
}

/// Why the HTTP side cannot start: each says what to change.
public enum HTTPSetupError: Error, CustomStringConvertible {
    case address(String)
    case insecureBind(String)
    case tokens(path: String, line: Int, reason: String)
    case consoleNotFound(String)

    public var description: String {
        switch self {
        case .address(let a): return "--http '\(a)' is not HOST:PORT (e.g. 127.0.0.1:7080) or 'off'"
        case .insecureBind(let h): return "--http on \(h) is reachable from other hosts: give --http-tokens-file, or --allow-insecure-bind on purpose"
        case .tokens(let p, let l, let r): return "\(p) line \(l): \(r); each line is TOKEN ROLE NAME (roles: ingest, viewer, operator, admin)"
        case .consoleNotFound(let d): return "the console's files are not in \(d): give --console-dir (the folder holding index.html)"
        }
    }
}
