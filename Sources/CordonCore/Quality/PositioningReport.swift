/// The accuracy report for an enterprise's acceptance file (AQ 3064.3-2025): per zone and per
/// risk class, how good the fixes said they were, how far reference tags really were from their
/// surveyed points, how often tags reported, and a verdict against the regulation's figures.
///
/// The figures (docs/positioning.md):
/// - static error: reference tags' distance from their surveyed point, p50, p95 and max; the
///   verdict holds p95 to the static limit: ±3 m in blue and yellow zones (or the zone's stricter
///   `required_accuracy_m`), the zone's `required_accuracy_m` in orange and red;
/// - dynamic error: the RTLS's own `accuracy_m` of people's fixes, p50 and p95; p95 is held to 5 m
///   in blue and yellow zones, the zone's `required_accuracy_m` in orange and red;
/// - the share of fixes within the zone's requirement, update intervals (p50, p95), gaps, and
///   the time subjects spent undecided at the zone's edge.
public enum PositioningReport {
    /// One row's verdict.
    public enum Verdict: String, Sendable {
        /// Both errors measured and within the limits.
        case pass
        /// A measured error beyond its limit.
        case fail
        /// One of the two errors has nothing to measure it (no reference tag, no rated fix).
        case incomplete
        /// Nothing to judge.
        case notMeasured = "not-measured"
    }

    /// The static and dynamic limits for a risk class and a requirement.
    public static func limits(risk: Zone.Risk?, required: Double) -> (staticM: Double, dynamicM: Double) {
        switch risk {
        case .red?, .orange?: return (required, required)
        case .blue?, .yellow?, nil: return (min(required, 3), 5)
        }
    }

    /// Judges one row.
    public static func verdict(_ b: QualityBucket, risk: Zone.Risk?, required: Double) -> (Verdict, [String]) {
        let lim = limits(risk: risk, required: required)
        var reasons: [String] = []
        var measured = 0
        var failed = false
        if let p95 = b.referenceError.percentile(0.95) {
            measured += 1
            if p95 > lim.staticM {
                failed = true
                reasons.append("static error p95 \(p95.formatted2) m exceeds \(lim.staticM.formatted2) m")
            }
        } else {
            reasons.append("no reference tag fixes: static error not measured")
        }
        if let p95 = b.accuracy.percentile(0.95) {
            measured += 1
            if p95 > lim.dynamicM {
                failed = true
                reasons.append("reported accuracy p95 \(p95.formatted2) m exceeds \(lim.dynamicM.formatted2) m")
            }
        } else {
            reasons.append("no fixes with accuracy_m: dynamic error not measured")
        }
        if failed { return (.fail, reasons) }
        switch measured {
        case 2: return (.pass, reasons)
        case 1: return (.incomplete, reasons)
        default: return (.notMeasured, reasons)
        }
    }

    /// One row of the report.
    public static func row(_ b: QualityBucket, risk: Zone.Risk?, required: Double, head: [String: Value]) -> (Value, Verdict) {
        func m(_ v: Double?) -> Value { v.map { .number($0.rounded(toPlaces: 2)) } ?? .null }
        let (verdict, reasons) = Self.verdict(b, risk: risk, required: required)
        let lim = limits(risk: risk, required: required)
        var o = head
        o["required_accuracy_m"] = .number(required)
        o["limits"] = ["static_m": .number(lim.staticM), "dynamic_m": .number(lim.dynamicM)]
        o["fixes"] = .int(b.fixes)
        o["rated_fixes"] = .int(b.rated)
        o["accuracy_m"] = ["p50": m(b.accuracy.percentile(0.5)), "p95": m(b.accuracy.percentile(0.95))]
        o["within_requirement"] = b.rated > 0 ? .number((Double(b.withinRequirement) / Double(b.rated)).rounded(toPlaces: 4)) : .null
        o["static_error_m"] = [
            "fixes": .int(b.referenceError.count), "p50": m(b.referenceError.percentile(0.5)),
            "p95": m(b.referenceError.percentile(0.95)), "max": b.referenceError.count > 0 ? m(b.referenceError.max) : .null,
        ]
        o["interval_s"] = ["p50": m(b.interval.percentile(0.5)), "p95": m(b.interval.percentile(0.95))]
        o["gaps"] = .int(b.gaps)
        o["longest_gap_s"] = .number(b.longestGapS.rounded(toPlaces: 2))
        o["undecided_s"] = .number(b.undecidedS.rounded(toPlaces: 2))
        o["undecided_spells"] = .int(b.undecidedSpells)
        o["verdict"] = .string(verdict.rawValue)
        o["reasons"] = .array(reasons.map(Value.string))
        return (.object(o), verdict)
    }

    /// The whole report over `[from, until)` from merged per-zone buckets.
    public static func build(site: Site, buckets: [String: QualityBucket], from: Instant, until: Instant) -> [String: Value] {
        var zones: [Value] = []
        var byClass: [String: (risk: Zone.Risk?, bucket: QualityBucket)] = [:]
        var verdicts: [Verdict] = []
        for z in site.zones {
            let b = buckets[z.id] ?? QualityBucket()
            let head: [String: Value] = ["zone": .string(z.id), "name": .optional(z.name), "risk": .optional(z.risk?.rawValue)]
            let (row, v) = row(b, risk: z.risk, required: z.requiredAccuracyM, head: head.filter { !$0.value.isNull })
            zones.append(row)
            if !b.isEmpty { verdicts.append(v) }
            let cls = z.risk?.rawValue ?? "unclassified"
            byClass[cls, default: (z.risk, QualityBucket())].bucket.merge(b)
        }
        var classes: [Value] = []
        for cls in Zone.Risk.allCases.map(\.rawValue) + ["unclassified"] {
            guard let c = byClass[cls] else { continue }
            classes.append(row(c.bucket, risk: c.risk, required: site.settings.requiredAccuracy(for: c.risk), head: ["risk": .string(cls)]).0)
        }
        let siteBucket = buckets[PositioningQuality.siteRow] ?? QualityBucket()
        let overall: Verdict
        if verdicts.contains(.fail) { overall = .fail }
        else if !verdicts.isEmpty && verdicts.allSatisfy({ $0 == .pass }) { overall = .pass }
        else if verdicts.isEmpty { overall = .notMeasured }
        else { overall = .incomplete }
        return [
            "site": .string(site.id), "from": .time(from), "to": .time(until),
            "standard": "AQ 3064.3-2025",
            "zones": .array(zones), "classes": .array(classes),
            "all": row(siteBucket, risk: nil, required: site.settings.unclassifiedRequiredAccuracyM, head: ["zone": "(all fixes)"]).0,
            "verdict": .string(overall.rawValue),
        ]
    }
}
