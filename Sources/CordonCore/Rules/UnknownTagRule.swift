/// `unknown-tag`: positions from a tag that the registry does not know.
///
/// A stranger's tag, a spare handed out without registration, a typo in the RTLS config: all
/// need someone to look. Raised at the first such position; cleared when the registry learns
/// the tag, or when the tag has been silent for the site's offline time.
struct UnknownTagRule {
    /// Unknown tags currently flagged, with their newest position time.
    private(set) var lastSeen: [String: Instant] = [:]

    func isFlagged(_ tag: String) -> Bool { lastSeen[tag] != nil }

    mutating func seen(tag: String, at t: Instant, position: Violation.Position?, context c: inout RuleContext) {
        if lastSeen[tag] == nil {
            c.raise(.unknownTag, subject: SubjectKey.tag(tag), scope: "", at: t, zone: nil, position: position,
                    details: ["tag": .string(tag)])
        }
        lastSeen[tag] = t
    }

    /// The registry now knows `tag`.
    mutating func registered(tag: String, at t: Instant, context c: inout RuleContext) {
        guard lastSeen.removeValue(forKey: tag) != nil else { return }
        c.alarms.clear(.unknownTag, .init(kind: "tag", id: tag), at: t) { _ in ["tag": .string(tag), "ended": "registered"] }
    }

    /// Clears tags silent for `offlineAfterS` by `now`, at the instant their silence reached it.
    mutating func advance(to now: Instant, offlineAfterS: Double, context c: inout RuleContext) {
        guard !lastSeen.isEmpty else { return }
        let due = lastSeen.filter { now.seconds(since: $0.value) >= offlineAfterS }
        for (tag, last) in due.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            lastSeen[tag] = nil
            c.alarms.clear(.unknownTag, .init(kind: "tag", id: tag), at: last.adding(seconds: offlineAfterS)) { _ in ["tag": .string(tag), "ended": "silent"] }
        }
    }

    mutating func restore(tag: String, lastSeen t: Instant) { lastSeen[tag] = t }
}
