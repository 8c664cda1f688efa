/// Why `serve` could not start. Each says what to change.
public enum ServiceError: Error, CustomStringConvertible {
    case site(SiteFile.Failure)
    case store(String)
    case socket(endpoint: String, reason: String)
    case insecureBind(String)
    case curve(String)
    /// The site file's `cordon.retention` is wrong.
    case retention(String)
    /// The site file's `cordon.store` is wrong.
    case storeSettings(String)
    /// The forwarding destinations are misconfigured.
    case forwarding(String)

    public var description: String {
        switch self {
        case .site(let f): return "\(f)"
        case .store(let m): return "cannot open the store: \(m)"
        case .socket(let e, let r): return "cannot bind \(e): \(r) (is another cordon running? choose another address with --ingest/--events/--control)"
        case .curve(let m): return m
        case .retention(let m): return m
        case .storeSettings(let m): return m
        case .forwarding(let m): return m
        case .insecureBind(let e):
            return "refusing to bind \(e) without CURVE keys: it is reachable from other hosts; bind to 127.0.0.1 or pass --allow-insecure-bind"
        }
    }
}
