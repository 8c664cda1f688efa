/// One zone's positioning figures over one hour (or, merged, over a report's window).
public struct QualityBucket: Sendable, Equatable {
    /// Fixes of subjects in the zone.
    public var fixes = 0
    /// Fixes that carried an accuracy (their own `accuracy_m` or their frame's default).
    public var rated = 0
    /// Rated fixes at least as good as the zone's requirement.
    public var withinRequirement = 0
    /// Reported accuracy of rated fixes, metres.
    public var accuracy = QualityHistogram()
    /// Reference tags: distance of each fix from the tag's surveyed point, metres.
    public var referenceError = QualityHistogram()
    /// Seconds between consecutive fixes of one tag, every tag of the zone pooled.
    public var interval = QualityHistogram()
    /// Intervals longer than the site's `positioning_gap_s`, and the longest.
    public var gaps = 0
    public var longestGapS = 0.0
    /// Seconds subjects spent undecided at the zone's edge (counted when a fix settles it).
    public var undecidedS = 0.0
    public var undecidedSpells = 0

    public init() {}

    public mutating func merge(_ o: QualityBucket) {
        fixes += o.fixes
        rated += o.rated
        withinRequirement += o.withinRequirement
        accuracy.merge(o.accuracy)
        referenceError.merge(o.referenceError)
        interval.merge(o.interval)
        gaps += o.gaps
        longestGapS = max(longestGapS, o.longestGapS)
        undecidedS += o.undecidedS
        undecidedSpells += o.undecidedSpells
    }

    var isEmpty: Bool { fixes == 0 && referenceError.count == 0 && undecidedSpells == 0 }
}
