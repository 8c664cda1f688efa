/// `tag-offline`: a subject on site whose tag has sent no position for `offline_after_s`.
///
/// A dead battery, a tag left in a locker, or someone down where the radio does not reach:
/// each needs a look. Raised by the clock at the instant the silence reaches the limit, at the
/// last known position; cleared by the next position. A subject whose last position was
/// outside the fence has left and is not flagged.
enum TagOfflineRule {
    static func silent(_ s: SubjectState, since last: Instant, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        guard s.insideFence, !isUnknownTag(s.key) else { return }
        c.raise(.tagOffline, subject: s.key, scope: "", at: t, zone: nil, position: position,
                details: ["last_position_at": .time(last), "offline_after_s": .number(c.site.settings.offlineAfterS)],
                tag: s.tag)
    }

    static func spoke(_ key: SubjectKey, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        c.alarms.clear(.tagOffline, .init(key), at: t, position: position)
    }

    private static func isUnknownTag(_ k: SubjectKey) -> Bool {
        if case .tag = k { return true }
        return false
    }
}
