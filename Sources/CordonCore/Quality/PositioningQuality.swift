/// What the engine learns about positioning quality, per zone and hour, for the accuracy
/// report (`report.positioning`, docs/positioning.md).
///
/// Kept in the engine, not computed from the store, so that `serve` and `replay` give the same
/// report for the same input, and because the store keeps a thinned track (intervals and
/// percentiles over thinned fixes would be wrong). Memory is bounded: per zone and hour with
/// fixes, one ``QualityBucket`` of fixed-size histograms (under 3 KiB), kept for the site's
/// `positioning_keep_h` hours (default 48); older hours are dropped as the clock moves on.
/// Zones are keyed by id, so a site reload keeps their history.
public struct PositioningQuality: Sendable {
    /// The key of the row that counts every fix, inside a zone or not.
    public static let siteRow = ""

    struct Key: Hashable, Sendable {
        var zone: String
        var hour: Int64
    }

    private(set) var buckets: [Key: QualityBucket] = [:]
    /// The newest hour seen; older hours beyond the retention are pruned when it advances.
    private var newestHour: Int64 = .min

    public init() {}

    static func hour(of t: Instant) -> Int64 {
        let ms = t.milliseconds
        return ms >= 0 ? ms / 3_600_000 : (ms - 3_599_999) / 3_600_000
    }

    /// Changes the bucket of `zone` for the hour of `t`.
    mutating func update(zone: String, at t: Instant, keepHours: Int64, _ body: (inout QualityBucket) -> Void) {
        let h = Self.hour(of: t)
        if h > newestHour {
            newestHour = h
            let oldest = h - keepHours
            if buckets.keys.contains(where: { $0.hour < oldest }) { buckets = buckets.filter { $0.key.hour >= oldest } }
        }
        body(&buckets[Key(zone: zone, hour: h), default: QualityBucket()])
    }

    /// Every zone's figures merged over the hours that overlap [from, until).
    public func merged(from: Instant, until: Instant) -> [String: QualityBucket] {
        let h0 = Self.hour(of: from)
        let h1 = Self.hour(of: Instant(milliseconds: until.milliseconds - 1))
        var out: [String: QualityBucket] = [:]
        for (k, b) in buckets where k.hour >= h0 && k.hour <= h1 { out[k.zone, default: QualityBucket()].merge(b) }
        return out
    }

    /// The hours held, oldest first (for the report's coverage).
    public var heldHours: (first: Instant, last: Instant)? {
        guard let lo = buckets.keys.map(\.hour).min(), let hi = buckets.keys.map(\.hour).max() else { return nil }
        return (Instant(milliseconds: lo * 3_600_000), Instant(milliseconds: (hi + 1) * 3_600_000))
    }
}
