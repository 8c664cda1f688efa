import CordonCore

/// Numbers and times from a control request, checked before they become an `Instant` or an
/// `Int`: a non-finite or absurd value is refused with `invalid-request` rather than trapping.
enum RequestBounds {
    /// An RFC 3339 text or epoch milliseconds (a fraction of a millisecond dropped), through
    /// ``Bounded``; nil when absent.
    static func instant(_ v: Value?, _ name: String) throws(RequestError) -> Instant? {
        switch v {
        case nil, .null?:
            return nil
        case .string(let s)?:
            guard let t = Bounded.instant(v) else {
                throw .invalid("'\(name)' must be an RFC 3339 time with a zone (2026-12-03T08:00:00+08:00) or epoch milliseconds; got '\(s)'")
            }
            return t
        case .number(let n)?:
            guard n.isFinite, let t = Bounded.instant(epochMilliseconds: n.rounded(.towardZero)) else {
                throw .invalid("'\(name)' in epoch milliseconds must be between 0 and \(Bounded.maxEpochMilliseconds)")
            }
            return t
        default:
            throw .invalid("'\(name)' must be an RFC 3339 time or epoch milliseconds")
        }
    }

    /// A whole number in `range`; `fallback` when absent.
    static func integer(_ v: Value?, _ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(RequestError) -> Int {
        guard let v, !v.isNull else { return fallback }
        guard let n = Bounded.integer(v, in: range) else {
            throw .invalid("'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A number of seconds in `range`, when present.
    static func seconds(_ v: Value?, _ name: String, in range: ClosedRange<Double>) throws(RequestError) -> Double? {
        guard let v, !v.isNull else { return nil }
        guard let n = v.numberValue, n.isFinite, range.contains(n) else {
            throw .invalid("'\(name)' must be a number of seconds from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A string, when present.
    static func text(_ v: Value?, _ name: String) throws(RequestError) -> String? {
        guard let v, !v.isNull else { return nil }
        guard let s = v.stringValue, !s.isEmpty, s.utf8.count <= 256 else {
            throw .invalid("'\(name)' must be a non-empty string of at most 256 bytes")
        }
        return s
    }

    /// The window `[from, until)`: `since_s` back from `now`, or `from`/`until`, or the last `defaultSeconds`.
    static func window(_ r: Value, now: Instant, defaultSeconds: Double) throws(RequestError) -> (from: Instant, until: Instant) {
        let since = try seconds(r["since_s"], "since_s", in: 0.001...(3660 * 86400.0))
        let untilGiven = try instant(r["until"], "until")
        let toGiven = try instant(r["to"], "to")
        var until = untilGiven ?? toGiven ?? now.adding(seconds: 1)
        var from = try instant(r["from"], "from")
        if let since {
            guard from == nil else { throw .invalid("give either 'since_s' or 'from', not both") }
            until = now.adding(seconds: 1)
            from = now.adding(seconds: -since)
        }
        let start = from ?? until.adding(seconds: -defaultSeconds)
        guard start < until else { throw .invalid("'from' must be before 'until'") }
        return (start, until)
    }
}
