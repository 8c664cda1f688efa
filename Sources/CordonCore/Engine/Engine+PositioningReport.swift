/// The control op `report.positioning` (read-only): the accuracy report over a window.
extension Engine {
    /// The longest window one report covers; the engine keeps `positioning_keep_h` hours anyway.
    static let maxReportDays = 31.0

    /// `{"op":"report.positioning","from":…,"to":…}`: both optional (default: the last 24 h up
    /// to the engine's clock). Hours are whole: the window takes every hour it overlaps.
    func positioningReport(_ w: ReportWindow) throws(RequestError) -> [String: Value] {
        let until = w.to ?? now.adding(seconds: 0.001)
        let from = w.from ?? until.adding(seconds: -86_400)
        guard from < until else { throw .invalid("'from' (\(from.rfc3339)) must be before 'to' (\(until.rfc3339))") }
        guard until.seconds(since: from) <= Self.maxReportDays * 86_400 else {
            throw .invalid("a report covers at most \(Int(Self.maxReportDays)) days; ask for a shorter window")
        }
        var out = PositioningReport.build(site: site, buckets: quality.merged(from: from, until: until), from: from, until: until)
        if let held = quality.heldHours {
            out["held"] = ["from": .time(held.first), "to": .time(held.last)]
        }
        out["keep_h"] = .number(site.settings.positioningKeepH)
        out["references"] = .int(registry.references.count)
        return ["report": .object(out)]
    }
}
