import Geometry

/// A geofenced area with the rules that apply inside it (docs/site-file.md, kind `zone`).
public struct Zone: Sendable {
    /// Who may be inside.
    public enum Access: String, Sendable, CaseIterable {
        /// Anyone.
        case open
        /// Only with a valid work permit for the zone, one of `requires`, or one of `roles`.
        case permit
        /// No one.
        case forbidden
    }

    /// The four-colour risk classification.
    public enum Risk: String, Sendable, CaseIterable {
        case red, orange, yellow, blue
    }

    /// Whether vehicles may drive in.
    public enum VehicleAccess: String, Sendable, CaseIterable {
        case allowed, forbidden
        case hazmatForbidden = "hazmat-forbidden"
    }

    /// Crowding (人员聚集): at least `minPeople` within `radiusM` of each other for `durationS`.
    public struct Crowding: Sendable, Equatable {
        public var radiusM: Double
        public var minPeople: Int
        public var durationS: Double

        public init(radiusM: Double, minPeople: Int, durationS: Double) {
            self.radiusM = radiusM
            self.minPeople = minPeople
            self.durationS = durationS
        }
    }

    /// Hours during which a staffed zone must hold `min_people`, in the site's local time.
    public struct StaffedHours: Sendable, Equatable {
        /// Minutes after local midnight.
        public var fromMinute: Int
        public var untilMinute: Int
    }

    /// Position of this zone in ``Site/zones``; the spatial index's payload.
    public var index: Int
    public var id: String
    public var name: String?
    public var risk: Risk?
    /// The floor it applies to; nil for every floor.
    public var level: Int?
    public var access: Access
    public var requires: [String]
    public var roles: [String]
    public var maxPeople: Int?
    public var minPeople: Int?
    public var staffed: StaffedHours?
    public var maxStayMin: Double?
    public var twoPerson: Bool
    public var crowding: Crowding?
    public var vehicles: VehicleAccess
    public var speedLimitKmh: Double?
    /// Stay needed inside before the entry counts.
    public var enterDelayS: Double
    /// Distance outside beyond which a subject has left.
    public var exitToleranceM: Double
    /// The worst fix accuracy (metres) that may decide entry or exit here: zone
    /// `required_accuracy_m`, else the site's figure for the zone's risk class.
    public var requiredAccuracyM: Double = 3
    /// The zone's boundary lines: a fix's uncertainty straddles the edge when its disc reaches them.
    public var edge: PreparedShape?
    /// The permit kinds that may be issued for this zone (empty: any).
    public var permitKinds: [WorkPermit.Kind] = []
    /// The enterprise this zone belongs to (property, or the enterprise polygon containing it).
    public var enterprise: String?
    public var shape: PreparedShape

    /// True when the zone applies to a position on `level`.
    @inline(__always)
    public func applies(toLevel l: Int) -> Bool { level == nil || level == l }

    /// Whether a fix at `p` with error radius `accuracy` can neither enter nor leave the zone:
    /// its accuracy is worse than the zone needs and its uncertainty disc crosses the edge.
    @inline(__always)
    public func isUndecided(at p: LocalPoint, accuracy: Double) -> Bool {
        guard accuracy > requiredAccuracyM, let edge else { return false }
        return edge.isWithinDistance(p, accuracy)
    }
}
