/// The time window and row limit of a request that reads history (`track`, `audit.list`, …):
/// `from`, `until` (RFC 3339 or epoch milliseconds) and `limit`, each bounded before use.
public struct RequestWindow: Sendable, Equatable {
    public var from: Instant
    public var until: Instant
    public var limit: Int

    /// The most rows one request may ask for.
    public static let maxLimit = 100_000

    /// - Parameters:
    ///   - now: `until` when the request gives none (one second past it, so `now` is inside).
    ///   - span: seconds before `until` that `from` defaults to.
    public init(_ r: Value, now: Instant, span: Double, defaultLimit: Int) throws(RequestError) {
        until = try Self.instant(r, "until") ?? now.adding(seconds: 1)
        from = try Self.instant(r, "from") ?? until.adding(seconds: -span)
        guard from < until else { throw .invalid("'from' must be before 'until'") }
        if let l = r["limit"], !l.isNull {
            guard let n = Bounded.integer(l, in: 1...Self.maxLimit) else {
                throw .invalid("'limit' must be a whole number from 1 to \(Self.maxLimit)")
            }
            limit = n
        } else {
            limit = defaultLimit
        }
    }

    /// The member `name` as an instant; nil when absent or null.
    public static func instant(_ r: Value, _ name: String) throws(RequestError) -> Instant? {
        guard let v = r[name], !v.isNull else { return nil }
        guard let i = Bounded.instant(v) else {
            throw .invalid("'\(name)' must be an RFC 3339 time with a zone or whole epoch milliseconds up to year 9999")
        }
        return i
    }
}
