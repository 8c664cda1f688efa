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

    /// Hours before the current one, by zone id.
    private(set) var buckets: [Key: QualityBucket] = [:]
    /// The current hour, by row: 0 the site row, 1 + i zone i of the site. An array, so that a
    /// fix costs no hashing; folded into `buckets` when the hour changes or the site does.
    private var hotHour: Int64 = .min
    private var hot: [QualityBucket] = []
    private var hotIDs: [String] = []

    public init() {}

    /// The row of the site's zone `index`.
    @inline(__always)
    static func row(zone index: Int) -> Int { index + 1 }

    static func hour(of t: Instant) -> Int64 {
        let ms = t.milliseconds
        return ms >= 0 ? ms / 3_600_000 : (ms - 3_599_999) / 3_600_000
    }

    /// Changes row `row` (``row(zone:)``, or 0 for the site row) for the hour of `t`.
    mutating func update(row: Int, site: Site, at t: Instant, keepHours: Int64, _ body: (inout QualityBucket) -> Void) {
        let h = Self.hour(of: t)
        if h != hotHour || hot.isEmpty {
            if h < hotHour {
                // A fix from an hour already folded (sources are only ordered per subject).
                let id = row == 0 ? Self.siteRow : site.zones[row - 1].id
                body(&buckets[Key(zone: id, hour: h), default: QualityBucket()])
                return
            }
            fold()
            hotHour = h
            hot = Array(repeating: QualityBucket(), count: site.zones.count + 1)
            hotIDs = [Self.siteRow] + site.zones.map(\.id)
            let oldest = h - keepHours
            if buckets.keys.contains(where: { $0.hour < oldest }) { buckets = buckets.filter { $0.key.hour >= oldest } }
        }
        body(&hot[row])
    }

    /// Moves the current hour into the history (before the site changes, and on a new hour).
    mutating func fold() {
        for (i, b) in hot.enumerated() where !b.isEmpty {
            buckets[Key(zone: hotIDs[i], hour: hotHour), default: QualityBucket()].merge(b)
        }
        hot = []
        hotIDs = []
    }

    /// Every zone's figures merged over the hours that overlap [from, until).
    public func merged(from: Instant, until: Instant) -> [String: QualityBucket] {
        let h0 = Self.hour(of: from)
        let h1 = Self.hour(of: Instant(milliseconds: until.milliseconds - 1))
        var out: [String: QualityBucket] = [:]
        for (k, b) in buckets where k.hour >= h0 && k.hour <= h1 { out[k.zone, default: QualityBucket()].merge(b) }
        if hotHour >= h0 && hotHour <= h1 {
            for (i, b) in hot.enumerated() where !b.isEmpty { out[hotIDs[i], default: QualityBucket()].merge(b) }
        }
        return out
    }

    /// The hours held, oldest first (for the report's coverage).
    public var heldHours: (first: Instant, last: Instant)? {
        var hours = Set(buckets.keys.map(\.hour))
        if hot.contains(where: { !$0.isEmpty }) { hours.insert(hotHour) }
        guard let lo = hours.min(), let hi = hours.max() else { return nil }
        return (Instant(milliseconds: lo * 3_600_000), Instant(milliseconds: (hi + 1) * 3_600_000))
    }
}
