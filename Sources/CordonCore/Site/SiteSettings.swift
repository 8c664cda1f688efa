/// Site-wide settings: the `cordon` member of the site file (docs/site-file.md).
///
/// Every rule reads its timing and thresholds from here, so that a park tunes them in one
/// place. Defaults are the protocol's.
public struct SiteSettings: Sendable, Equatable {
    public var offlineAfterS: Double = 60
    public var manDownAfterS: Double = 120
    public var manDownCancelS: Double = 30
    public var lowBatteryPct: Double = 10
    public var untrackedAfterS: Double = 300
    public var exitToleranceM: Double = 0.5
    public var vehicleMaxStayMin: Double = 360
    public var stopAfterS: Double = 300
    public var stopSpeedKmh: Double = 3
    public var speedingMinS: Double = 15
    /// How long one person may be alone in a two-person zone.
    public var loneWorkerGraceS: Double = 60
    /// How far a permit's guardian may be from the worker.
    public var guardianDistanceM: Double = 15
    /// Grace before a registered subject positioned inside without an entry record is flagged.
    public var noEntryGraceS: Double = 120
    /// The crowding radius for zones whose `crowding` rule does not give `radius_m`.
    public var crowdingRadiusM: Double = 15
    /// How long a staffed zone may be below its `min_people` before `understaffed` is raised.
    public var understaffedAfterS: Double = 60
    /// Displacement under which a tag counts as not moving (man-down).
    public var manDownMoveM: Double = 1.0
    /// How long a person must stand in a muster point to be accounted for (passing by does not count).
    public var musterDwellS: Double = 10
    /// How often `muster.progress` is published while a muster runs.
    public var musterProgressS: Double = 5
    /// In `serve`, a position this far behind the service clock is stale: stored, counted, and
    /// it drives no rule (docs/protocol.md, "Time").
    public var maxPositionAgeS: Double = 300
    /// The park's general speed limit, when it has one.
    public var speedLimitKmh: Double?
    /// Per-kind severity overrides.
    public var severity: [String: Severity] = [:]

    // Positioning quality (AQ 3064.3-2025; docs/positioning.md).

    /// The accuracy a membership decision needs, per risk class (`defaults.required_accuracy_m`);
    /// AQ 3064.3 asks ±3 m in blue and yellow areas and tighter in orange and red.
    public var requiredAccuracyM: [Zone.Risk: Double] = [.blue: 3, .yellow: 3, .orange: 1, .red: 1]
    /// The requirement of a zone with no risk class: the regulation's general figure.
    public var unclassifiedRequiredAccuracyM: Double = 3
    /// `positioning-degraded` looks at each zone over windows of this length.
    public var positioningWindowS: Double = 60
    /// Share of a window's fixes worse than required at or above which the zone is degraded.
    public var positioningPoorShare: Double = 0.5
    /// Fewer fixes than this in a window say nothing about the zone's accuracy.
    public var positioningMinFixes: Double = 10
    /// An occupant without a fix for this long counts as no longer positioned.
    public var positioningSilentS: Double = 30
    /// At least this many occupants must have stopped being positioned (and at least
    /// `positioning_poor_share` of them) for the zone to count as degraded by silence.
    public var positioningSilentMin: Double = 2
    /// In the accuracy report, a tag's interval between fixes longer than this is a gap.
    public var positioningGapS: Double = 10
    /// Hours of per-zone accuracy statistics the engine keeps for the report.
    public var positioningKeepH: Double = 48

    public init() {}

    /// The names of the `defaults` members, as the site file spells them.
    public static let defaultNames: Set<String> = [
        "offline_after_s", "man_down_after_s", "man_down_cancel_s", "low_battery_pct", "untracked_after_s",
        "exit_tolerance_m", "vehicle_max_stay_min", "stop_after_s", "stop_speed_kmh", "speeding_min_s",
        "lone_worker_grace_s", "guardian_distance_m", "no_entry_grace_s", "speed_limit_kmh", "crowding_radius_m",
        "understaffed_after_s", "man_down_move_m", "muster_dwell_s", "muster_progress_s", "max_position_age_s",
        "positioning_window_s", "positioning_poor_share", "positioning_min_fixes", "positioning_silent_s",
        "positioning_silent_min", "positioning_gap_s", "positioning_keep_h",
    ]

    /// The accuracy a zone of this risk class needs when the zone does not say.
    public func requiredAccuracy(for risk: Zone.Risk?) -> Double {
        guard let risk else { return unclassifiedRequiredAccuracyM }
        return requiredAccuracyM[risk] ?? unclassifiedRequiredAccuracyM
    }

    mutating func set(_ name: String, _ value: Double) {
        switch name {
        case "offline_after_s": offlineAfterS = value
        case "man_down_after_s": manDownAfterS = value
        case "man_down_cancel_s": manDownCancelS = value
        case "low_battery_pct": lowBatteryPct = value
        case "untracked_after_s": untrackedAfterS = value
        case "exit_tolerance_m": exitToleranceM = value
        case "vehicle_max_stay_min": vehicleMaxStayMin = value
        case "stop_after_s": stopAfterS = value
        case "stop_speed_kmh": stopSpeedKmh = value
        case "speeding_min_s": speedingMinS = value
        case "lone_worker_grace_s": loneWorkerGraceS = value
        case "guardian_distance_m": guardianDistanceM = value
        case "no_entry_grace_s": noEntryGraceS = value
        case "speed_limit_kmh": speedLimitKmh = value
        case "understaffed_after_s": understaffedAfterS = value
        case "crowding_radius_m": crowdingRadiusM = value
        case "man_down_move_m": manDownMoveM = value
        case "muster_dwell_s": musterDwellS = value
        case "muster_progress_s": musterProgressS = max(1, value)
        case "max_position_age_s": maxPositionAgeS = value
        case "positioning_window_s": positioningWindowS = min(max(1, value), 86_400)
        case "positioning_poor_share": positioningPoorShare = min(max(0.01, value), 1)
        case "positioning_min_fixes": positioningMinFixes = min(max(1, value), 1_000_000)
        case "positioning_silent_s": positioningSilentS = min(max(1, value), 86_400)
        case "positioning_silent_min": positioningSilentMin = min(max(1, value), 1_000_000)
        case "positioning_gap_s": positioningGapS = min(max(0.1, value), 86_400)
        case "positioning_keep_h": positioningKeepH = min(max(1, value), 24 * 31)
        default: break
        }
    }
}

/// How urgent a violation is.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case critical, major, minor

    private var rank: Int {
        switch self {
        case .critical: return 0
        case .major: return 1
        case .minor: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
