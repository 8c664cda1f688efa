/// The classes of record that age out separately, each with its own retention period.
public enum RetentionClass: String, Sendable, CaseIterable {
    case personPositions = "person_positions"
    case vehiclePositions = "vehicle_positions"
    case violations
    case passages
    case deadLetters = "dead_letters"

    /// The table and the time column a sweep deletes by, and the file it lives in.
    var table: (name: String, time: String, tracks: Bool, condition: String) {
        switch self {
        // Positions of unregistered tags are personnel tags: they age out with people's.
        case .personPositions: return ("positions", "t", true, "subject_kind IN ('person', 'tag')")
        case .vehiclePositions: return ("positions", "t", true, "subject_kind = 'vehicle'")
        case .violations: return ("violation_events", "t", false, "1")
        case .passages: return ("gate_passages", "t", false, "1")
        case .deadLetters: return ("dead_letters", "received_at", false, "1")
        }
    }
}
