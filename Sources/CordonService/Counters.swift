import CordonCore

/// The running totals that `ping` reports (docs/protocol.md, "Control requests").
public struct Counters: Sendable, Equatable {
    /// Accepted messages per type, counted per message: fields, not a map keyed by the
    /// type's name, so that counting hashes nothing.
    public var acceptedPositions = 0
    public var acceptedAlerts = 0
    public var acceptedGates = 0

    /// Accepted messages per type: `position`, `alert`, `gate` (section 5's `accepted` map).
    public var accepted: [String: Int] { ["position": acceptedPositions, "alert": acceptedAlerts, "gate": acceptedGates] }
    /// Rejected messages per reason code.
    public var rejected: [String: Int] = [:]
    /// Events older than their subject's newest: dropped.
    public var late = 0
    /// Positions too far behind the service clock to speak for the present: stored, no rule run.
    public var stale = 0
    /// Changing control requests whose audit could not be stored (they were carried out).
    public var auditFailed = 0
    /// Events published.
    public var published = 0
    /// Events published per family, the topic's first word (`violation`, `cleared`, `access`,
    /// `muster`, …): `cordon_published_total{family}`.
    public var publishedByFamily: [String: Int] = [:]
    /// Events the PUB socket refused to take.
    public var dropped = 0
    /// Commits that failed (disk full, database locked): their events were held, not lost.
    public var storeFailures = 0
    /// Events published marked `"stored": false`, while the store refused writes (they were
    /// held and stored once it took writes again).
    public var publishedUnstored = 0

    public init() {}

    public var rejectedTotal: Int { rejected.values.reduce(0, +) }

    /// Counts one accepted message under its type.
    mutating func countAccepted(_ m: IngestMessage) {
        switch m {
        case .position: acceptedPositions += 1
        case .alert: acceptedAlerts += 1
        case .gate: acceptedGates += 1
        }
    }

    /// Counts one published event under its topic's family.
    /// Adds what another thread counted of publishing (published, dropped, refused commits).
    mutating func addPublishing(_ t: Counters) {
        published += t.published
        for (k, v) in t.publishedByFamily { publishedByFamily[k, default: 0] += v }
        dropped += t.dropped
        storeFailures += t.storeFailures
        publishedUnstored += t.publishedUnstored
    }

    mutating func countPublished(topic: String) {
        published += 1
        publishedByFamily[Self.family(of: topic), default: 0] += 1
    }

    /// A topic's first word (`violation` of `violation.man-down`), without splitting it into an
    /// array: this runs for every published event.
    private static func family(of topic: String) -> String {
        guard let dot = topic.utf8.firstIndex(of: UInt8(ascii: ".")) else { return topic }
        return String(topic[..<dot])
    }

    /// The `counters` member of the `ping` reply. `dropped` counts everything given up: events
    /// the PUB socket refused, and positions or dead letters the store's queue could not keep.
    public func value(trackHistoryDropped: Int = 0) -> Value {
        [
            "accepted": .object(accepted.mapValues { .int($0) }),
            "rejected": .object(rejected.mapValues { .int($0) }),
            "late": .int(late), "stale": .int(stale), "audit_failed": .int(auditFailed), "published": .int(published),
            "dropped": .int(dropped + trackHistoryDropped),
            "dropped_by": ["publish": .int(dropped), "track_history": .int(trackHistoryDropped)],
            "store_failures": .int(storeFailures), "published_unstored": .int(publishedUnstored),
            "published_by": .object(publishedByFamily.mapValues { .int($0) }),
        ]
    }
}
