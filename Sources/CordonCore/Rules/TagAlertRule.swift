/// `sos`, `fall` and `tamper`: alerts a tag sends.
///
/// SOS and tamper are raised at once. A fall waits out the site's `man_down_cancel_s` first,
/// because fall sensors misfire and the wearer may cancel. `cancel` from the tag clears an SOS
/// or a raised fall, stops a pending fall, and restarts a man-down pre-alarm; every one of
/// them also ends on `alarms.ack` (who and when is kept).
enum TagAlertRule {
    static func sos(_ s: SubjectState, tag: String, at t: Instant, position: Violation.Position?, context c: inout RuleContext) {
        c.raise(.sos, subject: s.key, scope: "", at: t, zone: nil, position: position,
                details: ["tag": .string(tag), "zones": zones(s, c)], tag: tag)
    }

    static func tamper(_ s: SubjectState, tag: String, at t: Instant, position: Violation.Position?, context c: inout RuleContext) {
        c.raise(.tamper, subject: s.key, scope: "", at: t, zone: nil, position: position,
                details: ["tag": .string(tag)], tag: tag)
    }

    /// A fall whose cancel window has run out without a cancel.
    static func fall(_ s: SubjectState, fellAt: Instant, at t: Instant, position: Violation.Position?, context c: inout RuleContext) {
        c.raise(.fall, subject: s.key, scope: "", at: t, zone: nil, position: position,
                details: ["fell_at": .time(fellAt), "cancel_window_s": .number(c.site.settings.manDownCancelS),
                          "zones": zones(s, c)], tag: s.tag)
    }

    /// The wearer pressed cancel: SOS and a raised fall end.
    static func cancel(_ s: SubjectState, at t: Instant, context c: inout RuleContext) {
        for kind in [ViolationKind.sos, .fall] {
            c.alarms.clear(kind, .init(s.key), at: t) { $0.details.merging(["ended": "cancelled by the wearer"]) { _, n in n } }
        }
    }

    private static func zones(_ s: SubjectState, _ c: RuleContext) -> Value {
        .array(s.stays.map { .string(c.site.zones[$0.zone].id) })
    }
}
