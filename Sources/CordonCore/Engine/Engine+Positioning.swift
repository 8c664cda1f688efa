import Geometry

/// Positioning quality (AQ 3064.3, docs/positioning.md): reference tags, the per-zone figures
/// of the accuracy report, and the windows of `positioning-degraded`.
extension Engine {
    /// Intervals between two fixes of a tag longer than this mean the tag was away (off site,
    /// in a charger), not that positioning failed: they are left out of the interval figures.
    static let awayAfterS = 900.0

    /// A fix from a reference tag: it measures the static error where the tag stands, and does
    /// nothing else (a reference tag is no one: no zone, no presence, no alarm).
    func referenceFix(_ ref: ReferenceTag, _ r: PositionReport, at point: LocalPoint) -> Disposition {
        if let last = referenceLast[ref.id], r.time < last { return .late }
        let previous = referenceLast[ref.id]
        referenceLast[ref.id] = r.time
        let error = point.distance(to: ref.point)
        let interval = previous.map { r.time.seconds(since: $0) }
        let keep = Int64(site.settings.positioningKeepH)
        let gapS = site.settings.positioningGapS
        let site = self.site
        func fill(_ b: inout QualityBucket) {
            b.referenceError.add(error)
            Self.addInterval(interval, to: &b, gapS: gapS)
        }
        quality.update(row: 0, site: site, at: r.time, keepHours: keep, fill)
        site.forEachZoneCandidate(at: ref.point, within: 0) { idx in
            let z = site.zones[idx]
            if z.applies(toLevel: ref.level), z.shape.covers(ref.point) {
                quality.update(row: PositioningQuality.row(zone: idx), site: site, at: r.time, keepHours: keep, fill)
            }
        }
        return .accepted
    }

    static func addInterval(_ interval: Double?, to b: inout QualityBucket, gapS: Double) {
        guard let i = interval, i >= 0, i <= awayAfterS else { return }
        b.interval.add(i)
        if i > gapS {
            b.gaps += 1
            if i > b.longestGapS { b.longestGapS = i }
        }
    }

    /// After a subject's fix has been placed: the report's figures and the degraded windows.
    ///
    /// AQ 3064.3 is about personnel positioning: vehicles' GNSS fixes are left out of both.
    func positioningObserved(slot: Int, accuracy: Double?, previous: Instant?, change: ZoneMembership.Change, at t: Instant) {
        if case .vehicle = states[slot].key { return }
        let site = self.site
        let keep = Int64(site.settings.positioningKeepH)
        let gapS = site.settings.positioningGapS
        let unclassified = site.settings.unclassifiedRequiredAccuracyM
        let interval = previous.map { t.seconds(since: $0) }
        if let i = interval, i >= 0, i <= Self.awayAfterS {
            states[slot].cadenceS = states[slot].cadenceSamples == 0 ? i : 0.8 * states[slot].cadenceS + 0.2 * i
            if states[slot].cadenceSamples < 1000 { states[slot].cadenceSamples += 1 }
        }
        func fill(_ b: inout QualityBucket, required: Double) {
            b.fixes += 1
            if let a = accuracy {
                b.rated += 1
                b.accuracy.add(a)
                if a <= required { b.withinRequirement += 1 }
            }
            Self.addInterval(interval, to: &b, gapS: gapS)
        }
        quality.update(row: 0, site: site, at: t, keepHours: keep) { fill(&$0, required: unclassified) }
        for stay in states[slot].stays {
            let required = site.zones[stay.zone].requiredAccuracyM
            quality.update(row: PositioningQuality.row(zone: stay.zone), site: site, at: t, keepHours: keep) { fill(&$0, required: required) }
            degraded.counted(zone: stay.zone, poor: accuracy.map { $0 > required } ?? false, zoneCount: site.zones.count)
        }
        for settled in change.settled {
            for row in [PositioningQuality.row(zone: settled.zone), 0] {
                quality.update(row: row, site: site, at: t, keepHours: keep) {
                    $0.undecidedS += settled.seconds
                    $0.undecidedSpells += 1
                }
            }
        }
        if !degraded.windowTimerSet {
            degraded.windowTimerSet = true
            timers.schedule(.positioningWindow, at: PositioningDegradedRule.windowEnd(after: t, windowS: site.settings.positioningWindowS))
        }
    }

    /// A `positioning-degraded` window ended at `t`.
    func positioningWindowDue(at t: Instant) {
        let states = self.states
        let slots = self.slots
        let silentS = site.settings.positioningSilentS
        let more = degraded.windowClosed(
            at: t, zones: site.zones, occupancy: occupancy, settings: site.settings,
            isSilent: { id in
                guard let slot = slots[.person(id)], let last = states[slot].lastPositionTime else { return false }
                return PositioningDegradedRule.isSilent(states[slot], last: last, at: t, silentS: silentS)
            }, context: &context)
        if more {
            // Two days cover the longest silence plus window a site may set, so every raise a
            // gap in the input causes happens at its own time; the day before the clock lands
            // brings each zone to where it would be.
            let windowS = site.settings.positioningWindowS
            let next = PositioningDegradedRule.windowEnd(after: t, windowS: windowS)
            let resume = resumeAfterJump(next, keepFirstS: 2 * 86_400, keepLastS: 86_400)
            timers.schedule(.positioningWindow, at: resume.map { PositioningDegradedRule.windowEnd(after: $0, windowS: windowS) } ?? next)
        } else {
            degraded.windowTimerSet = false
        }
    }
}

extension Engine {
    /// `whereis`'s `undecided` member, only for a subject whose fixes were ever too coarse at a
    /// zone's edge: the zones open now (since when) and the seconds spent undecided in all.
    func undecidedMember(_ s: SubjectState) -> [String: Value] {
        guard !s.undecided.isEmpty || s.undecidedS > 0 else { return [:] }
        return ["undecided": [
            "zones": .array(s.undecided.map { u in
                .compact(["id": .string(site.zones[u.zone].id), "name": .optional(site.zones[u.zone].name), "since": .time(u.since)])
            }),
            "total_s": .number(s.undecidedS.rounded(toPlaces: 3)),
        ]]
    }
}
