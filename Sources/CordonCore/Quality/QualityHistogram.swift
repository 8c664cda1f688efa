/// A fixed-bucket histogram of non-negative measurements (metres or seconds), for percentiles
/// over millions of fixes in bounded memory.
///
/// Buckets are 5 cm (or 0.05 s) wide up to 5, 0.25 wide up to 25, 2.5 wide up to 100, then
/// one overflow bucket: 211 counters whatever the number of samples. A percentile is reported
/// as the upper edge of the bucket holding that rank, so it is never below the true value and
/// at most one bucket width above it (exact for values on the 5 cm grid, such as accuracies
/// given to one decimal); above 100 the largest sample stands in. Count, sum and maximum are exact.
public struct QualityHistogram: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var sum = 0.0
    public private(set) var max = 0.0
    /// Empty until the first sample, so unused histograms cost nothing.
    private var counts: [UInt32] = []

    public static let bucketCount = 211

    public init() {}

    /// The bucket of `v`: buckets are closed above, so a value on an edge belongs below it.
    static func bucket(_ v: Double) -> Int {
        if v <= 0 { return 0 }
        if v <= 5 { return Swift.max(0, Int((v / 0.05 - 1e-9).rounded(.up))) }
        if v <= 25 { return 100 + Int(((v - 5) / 0.25 - 1e-9).rounded(.up)) }
        if v <= 100 { return 180 + Int(((v - 25) / 2.5 - 1e-9).rounded(.up)) }
        return bucketCount - 1
    }

    /// The upper edge of bucket `i`.
    static func upperEdge(_ i: Int) -> Double {
        if i <= 100 { return Double(i) * 0.05 }
        if i <= 180 { return 5 + Double(i - 100) * 0.25 }
        return 25 + Double(i - 180) * 2.5
    }

    /// Adds one sample; a non-finite or negative one is ignored (callers bound their inputs).
    public mutating func add(_ v: Double) {
        guard v.isFinite, v >= 0 else { return }
        if counts.isEmpty { counts = Array(repeating: 0, count: Self.bucketCount) }
        counts[Self.bucket(v)] &+= 1
        count += 1
        sum += v
        if v > max { max = v }
    }

    /// Adds every sample of another histogram.
    public mutating func merge(_ o: QualityHistogram) {
        guard o.count > 0 else { return }
        if counts.isEmpty { counts = Array(repeating: 0, count: Self.bucketCount) }
        for i in 0..<Self.bucketCount { counts[i] &+= o.counts[i] }
        count += o.count
        sum += o.sum
        if o.max > max { max = o.max }
    }

    /// The `q`-quantile (0 < q ≤ 1) by nearest rank, as the upper edge of its bucket; nil when empty.
    public func percentile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += Int(c)
            if seen >= rank {
                return i == Self.bucketCount - 1 ? max : Swift.min(Self.upperEdge(i), max)
            }
        }
        return max
    }

    /// How many samples are at most `limit` (by bucket: exact when `limit` is a bucket edge).
    public func count(atMost limit: Double) -> Int {
        guard count > 0 else { return 0 }
        if limit >= max { return count }
        let b = Self.bucket(limit)
        var n = 0
        for i in 0...b { n += Int(counts[i]) }
        return n
    }
}
