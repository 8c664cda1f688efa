import CordonCore
import CordonStore

/// How long each class of record is kept: the site file's `cordon.retention` (docs/site-file.md), with the regulation's minimums as defaults.
public struct RetentionPolicy: Sendable, Equatable {
    /// Days per class.
    public var days: [RetentionClass: Double]
    /// `audit_days`: read and checked, applied by the audit log's own sweep.
    public var auditDays: Double

    /// Personnel positions 30 days, vehicle positions 180, violations and passages three years,
    /// dead letters 90 days.
    public static let defaults = RetentionPolicy(
        days: [.personPositions: 30, .vehiclePositions: 180, .violations: 1095, .passages: 1095, .deadLetters: 90],
        auditDays: 1095)

    static let keys: [String: RetentionClass?] = [
        "person_positions_days": .personPositions, "vehicle_positions_days": .vehiclePositions,
        "violations_days": .violations, "passages_days": .passages, "dead_letters_days": .deadLetters, "audit_days": nil,
    ]

    /// Reads `cordon.retention` from the site document; defaults for what it does not say.
    /// Throws a message naming the member to fix.
    public init(site document: Value) throws(RetentionPolicy.Invalid) {
        self = .defaults
        guard let r = document["cordon"]?["retention"], !r.isNull else { return }
        guard let members = r.objectValue else { throw Invalid(message: "'cordon.retention' must be an object of <class>_days → days") }
        for (k, v) in members.sorted(by: { $0.key < $1.key }) {
            guard let cls = Self.keys[k] else {
                throw Invalid(message: "unknown member 'cordon.retention.\(k)' (\(Self.keys.keys.sorted().joined(separator: ", ")))")
            }
            guard let n = v.numberValue, n.isFinite, n >= 1, n <= 36_500 else {
                throw Invalid(message: "'cordon.retention.\(k)' must be a number of days from 1 to 36500")
            }
            if let cls { days[cls] = n } else { auditDays = n }
        }
    }

    init(days: [RetentionClass: Double], auditDays: Double) {
        self.days = days
        self.auditDays = auditDays
    }

    /// The instant before which rows of `cls` are deleted, at `now`.
    public func cutoff(_ cls: RetentionClass, now: Instant) -> Instant {
        now.adding(seconds: -(days[cls] ?? 1095) * 86400)
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "the site file's retention is wrong: \(message)" }
    }
}
