import CordonCore

/// How much memory `serve` may fill for a store that refuses writes: the site file's
/// `cordon.store.hold_mb` (default 256). Alarms, gate decisions and audit entries are held
/// whatever it costs (they are the record, and they are few); live state is held merged, one
/// row per subject; the thinned track history and dead letters fill the rest of the budget,
/// and past it their newest are dropped and counted (`dropped_by.track_history`).
public struct HoldBudget: Sendable, Equatable {
    public var megabytes: Int

    public static let `default` = HoldBudget(megabytes: 256)
    /// Roughly what one queued track point costs in memory, with its strings.
    static let bytesPerTrackPoint = 256

    /// Track points and dead letters the track writer may queue.
    public var trackItems: Int { max(10_000, megabytes * (1 << 20) / Self.bytesPerTrackPoint) }

    public init(megabytes: Int) {
        self.megabytes = megabytes
    }

    /// Reads `cordon.store.hold_mb` from the site document; the default when absent. Throws a
    /// message naming the member to fix.
    public init(site document: Value) throws(HoldBudget.Invalid) {
        self = .default
        guard let s = document["cordon"]?["store"], !s.isNull else { return }
        guard let members = s.objectValue else { throw Invalid(message: "'cordon.store' must be an object, such as {\"hold_mb\": 256}") }
        for (k, v) in members.sorted(by: { $0.key < $1.key }) {
            guard k == "hold_mb" else { throw Invalid(message: "unknown member 'cordon.store.\(k)' (hold_mb)") }
            guard let n = v.numberValue, n.isFinite, n >= 16, n <= 65_536, n == n.rounded() else {
                throw Invalid(message: "'cordon.store.hold_mb' must be a whole number of megabytes from 16 to 65536")
            }
            megabytes = Int(n)
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "the site file's store settings are wrong: \(message)" }
    }
}
