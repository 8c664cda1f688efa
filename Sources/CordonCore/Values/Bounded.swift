/// The one gate through which a number from outside (an ingest message, a control request, a
/// site file) becomes a time, a duration or an integer.
///
/// Swift traps on `Int64(1e19)`; a safety service must not stop because an RTLS engine or a
/// script sent a finite but absurd number. Every conversion of an outside number goes through
/// here, and whatever is out of range is refused with a reason instead.
public enum Bounded {
    /// The latest instant accepted anywhere: 9999-12-31T23:59:59.999Z (RFC 3339 has four-digit years).
    public static let maxEpochMilliseconds: Int64 = 253_402_300_799_999

    /// The largest number a site setting or a duration in a request may have (seconds, minutes,
    /// metres, people): a billion seconds is 31 years, far beyond any real setting, and
    /// every sum of such numbers still fits an `Int64` of milliseconds.
    public static let maxSetting: Double = 1_000_000_000

    /// An instant from integer milliseconds since the epoch, or nil when the number is not a
    /// whole number from 0 to ``maxEpochMilliseconds``.
    public static func instant(epochMilliseconds n: Double) -> Instant? {
        guard n.isFinite, n >= 0, n <= Double(maxEpochMilliseconds), n == n.rounded(.towardZero) else { return nil }
        return Instant(milliseconds: Int64(n))
    }

    /// An instant from a request member: an RFC 3339 string with a zone, or integer epoch milliseconds.
    public static func instant(_ v: Value?) -> Instant? {
        switch v {
        case .string(let s)?:
            guard let t = RFC3339.parse(s), (0...maxEpochMilliseconds).contains(t.milliseconds) else { return nil }
            return t
        case .number(let n)?:
            return instant(epochMilliseconds: n)
        default:
            return nil
        }
    }

    /// A whole number within `range`, or nil (non-finite, fractional, or outside it).
    public static func integer(_ n: Double, in range: ClosedRange<Int>) -> Int? {
        guard n.isFinite, n == n.rounded(.towardZero), n >= Double(range.lowerBound), n <= Double(range.upperBound) else { return nil }
        return Int(n)
    }

    /// A whole number within `range` from a request member, or nil.
    public static func integer(_ v: Value?, in range: ClosedRange<Int>) -> Int? {
        guard case .number(let n)? = v else { return nil }
        return integer(n, in: range)
    }

    /// A setting (a duration, a distance, a count) that is finite and from 0 to ``maxSetting``.
    public static func setting(_ n: Double) -> Double? {
        guard n.isFinite, n >= 0, n <= maxSetting else { return nil }
        return n
    }

    /// `n` rounded to a whole number for a message, never trapping: what a reason text shows of
    /// a coordinate that may be huge or not a number at all.
    public static func describe(_ n: Double) -> String {
        guard n.isFinite else { return "\(n)" }
        if abs(n) < 1e15 { return String(Int64(n.rounded())) }
        return "\(n)"
    }
}
