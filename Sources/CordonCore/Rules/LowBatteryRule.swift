/// `low-battery`: a tag reporting `battery_pct` below the site's `low_battery_pct`.
///
/// Cleared once the tag reports at least 5 points above the threshold (a charged or swapped
/// battery), so a level wobbling around the threshold does not flap.
enum LowBatteryRule {
    static let hysteresisPct = 5.0

    static func reported(_ s: inout SubjectState, battery: Double, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        s.lastBattery = battery
        let threshold = c.site.settings.lowBatteryPct
        guard let tag = s.tag else { return }
        if !s.lowBattery && battery < threshold {
            s.lowBattery = true
            let who = c.describe(s.key, tag: tag)
            c.raise(.lowBattery, subject: SubjectKey.tag(tag), scope: "", at: t, zone: nil, position: position,
                    details: .compactMembers(["battery_pct": .number(battery), "threshold_pct": .number(threshold),
                                              "carrier": .string("\(who.kind):\(who.id)"), "carrier_name": .optional(who.name)]))
        } else if s.lowBattery && battery >= threshold + hysteresisPct {
            s.lowBattery = false
            c.alarms.clear(.lowBattery, .init(kind: "tag", id: tag), at: t, position: position) { _ in ["battery_pct": .number(battery), "threshold_pct": .number(threshold)] }
        }
    }
}

extension Dictionary where Key == String, Value == CordonCore.Value {
    /// The members that are not null.
    static func compactMembers(_ d: [String: CordonCore.Value]) -> [String: CordonCore.Value] {
        d.filter { !$0.value.isNull }
    }
}
