/// `positioning-degraded`: a zone whose positioning can no longer be trusted (AQ 3064.3): over
/// one window (`positioning_window_s`, default 60 s), at least `positioning_poor_share` (0.5) of
/// the fixes of subjects in it were worse than the zone's `required_accuracy_m` (given at least
/// `positioning_min_fixes`, 10, fixes), or at least `positioning_silent_min` (2) of the people
/// in it — and at least that share of them — have had no fix for `positioning_silent_s` (30 s)
/// and for five times their tag's usual interval (a tag that reports once a minute is not
/// silent after 30 s; one that never settled into a cadence, three intervals, is not judged).
///
/// A dead anchor, a tag in a pocket behind steel, a reflector parked in front of an antenna:
/// each shows as one of the two. It is raised at the end of the window that shows it, and
/// cleared at the end of the first window with enough good fixes and nobody unpositioned (or
/// nobody left in the zone and no fixes to judge). Windows are aligned on the epoch, so `serve`
/// and `replay` cut them at the same instants.
struct PositioningDegradedRule {
    /// Per zone (by index) in the current window: fixes, and fixes worse than required.
    private var fixes: [Int] = []
    private var poor: [Int] = []
    /// Whether the clock will look at the current window's end.
    var windowTimerSet = false

    /// The end of the window holding `t`.
    static func windowEnd(after t: Instant, windowS: Double) -> Instant {
        let w = max(1000, Int64((windowS * 1000).rounded()))
        let ms = t.milliseconds
        let start = ms >= 0 ? ms - ms % w : ms - ((ms % w) + w) % w
        return Instant(milliseconds: start + w)
    }

    /// One fix of a subject inside zone `zone`.
    mutating func counted(zone: Int, poor isPoor: Bool, zoneCount: Int) {
        if fixes.count < zoneCount {
            fixes += Array(repeating: 0, count: zoneCount - fixes.count)
            poor += Array(repeating: 0, count: zoneCount - poor.count)
        }
        fixes[zone] += 1
        if isPoor { poor[zone] += 1 }
    }

    /// The window ending at `t` is over: each zone is judged and the counts start again.
    /// Returns whether anything is left to watch (fixes, occupants, a raised alarm).
    /// Whether a person's tag has stopped reporting, against its own cadence.
    static func isSilent(_ s: SubjectState, last: Instant, at t: Instant, silentS: Double) -> Bool {
        guard s.cadenceSamples >= 3 else { return false }
        let gap = t.seconds(since: last)
        return gap >= silentS && gap >= 5 * s.cadenceS
    }

    mutating func windowClosed(at t: Instant, zones: [Zone], occupancy: ZoneOccupancy, settings s: SiteSettings,
                               isSilent: (String) -> Bool, context c: inout RuleContext) -> Bool {
        var active = false
        for z in zones {
            let n = z.index < fixes.count ? fixes[z.index] : 0
            let bad = z.index < poor.count ? poor[z.index] : 0
            let key = c.alarms.key(.positioningDegraded, .zone(z.id), scope: z.id)
            let raised = key != nil
            let occupants = occupancy.count(zone: z.index) > 0 ? occupancy.people(zone: z.index) : []
            guard n > 0 || !occupants.isEmpty || raised else { continue }
            active = true
            let tooPoor: Bool? = Double(n) >= s.positioningMinFixes ? Double(bad) >= s.positioningPoorShare * Double(n) : nil
            let silent = occupants.filter(isSilent)
            let tooSilent = Double(silent.count) >= s.positioningSilentMin
                && Double(silent.count) >= s.positioningPoorShare * Double(occupants.count)
            var details: [String: Value] = [
                "window_s": .number(s.positioningWindowS), "fixes": .int(n), "poor_fixes": .int(bad),
                "required_accuracy_m": .number(z.requiredAccuracyM), "occupants": .int(occupants.count),
                "unpositioned": .array(silent.sorted().prefix(100).map(Value.string)),
            ]
            if n > 0 { details["poor_share"] = .number((Double(bad) / Double(n)).rounded(toPlaces: 3)) }
            if tooPoor == true || tooSilent {
                guard !raised else { continue }
                var why: [String] = []
                if tooPoor == true { why.append("\(bad) of \(n) fixes worse than \(z.requiredAccuracyM.formatted2) m") }
                if tooSilent { why.append("\(silent.count) of \(occupants.count) people in the zone not positioned for \(Int(s.positioningSilentS)) s") }
                details["reason"] = .string(why.joined(separator: "; "))
                c.raise(.positioningDegraded, subject: .zone(z), scope: z.id, at: t, zone: z, position: nil, details: details)
            } else if let key, tooPoor == false || (n == 0 && occupants.isEmpty) {
                details["ended"] = .string(n == 0 ? "no one left in the zone to position" : "fixes within the requirement again")
                c.alarms.clear(key, at: t, details: details)
            }
        }
        for i in fixes.indices { fixes[i] = 0; poor[i] = 0 }
        return active
    }

    /// Counts start over on a new site (zone indices change).
    mutating func reset() {
        fixes = []
        poor = []
    }
}

extension Double {
    /// A measurement for a reason text: up to two decimals, without trailing zeros.
    var formatted2: String {
        let r = (self * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : "\(r)"
    }
}
