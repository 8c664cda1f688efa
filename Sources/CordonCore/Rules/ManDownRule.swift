import Geometry

/// `man-down`: a person whose tag has not moved for `man_down_after_s`.
///
/// No movement is the tag's `moving: false`, or a displacement under `man_down_move_m` from
/// where it first stood still. When the time is up the tag's pre-alarm starts (it buzzes); an
/// `alert` `cancel` from the wearer within `man_down_cancel_s` restarts the count. If nobody
/// cancels, `man-down` is raised at the end of that window, at the last position. Any real
/// movement clears it.
enum ManDownRule {
    /// Folds a new position into the subject's stillness. Returns whether a man-down timer
    /// must be set (the subject is still and none is waiting); `s.stillSince == nil` afterwards
    /// means it moved.
    /// `moveM` is the site's `man_down_move_m`, passed alone: the whole settings value would be
    /// copied (every member retained) for each position.
    static func observe(_ s: inout SubjectState, at p: LocalPoint, moving: Bool?, time t: Instant, moveM: Double) -> Bool {
        let dx = p.x - s.stillAnchor.x, dy = p.y - s.stillAnchor.y
        let displaced = s.stillSince != nil && (dx * dx + dy * dy) > moveM * moveM
        if moving == true || displaced {
            s.stillSince = nil
            s.stillAnchor = p
            return false
        }
        if s.stillSince == nil {
            s.stillSince = t
            s.stillAnchor = p
        }
        return !s.manDownTimerSet
    }

    /// The instant the pre-alarm starts and the instant the alarm is raised, for a stillness since `since`.
    static func deadlines(since: Instant, settings: SiteSettings) -> (preAlarm: Instant, raise: Instant) {
        let pre = since.adding(seconds: settings.manDownAfterS)
        return (pre, pre.adding(seconds: settings.manDownCancelS))
    }

    static func raise(_ s: SubjectState, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        guard case .person = s.key, let since = s.stillSince else { return }
        c.raise(.manDown, subject: s.key, scope: "", at: t, zone: nil, position: position,
                details: ["still_since": .time(since), "man_down_after_s": .number(c.site.settings.manDownAfterS),
                          "cancel_window_s": .number(c.site.settings.manDownCancelS)], tag: s.tag)
    }

    static func moved(_ key: SubjectKey, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        c.alarms.clear(.manDown, .init(key), at: t, position: position)
    }
}
