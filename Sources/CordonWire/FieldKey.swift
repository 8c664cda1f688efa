/// The member names the ingest decoder looks at (docs/protocol.md, "Ingest messages", plus `request` of the
/// replay format of section 7). Any other member is skipped: the protocol allows additions.
enum FieldKey: Int, CaseIterable {
    case type, t, tag, plate, x, y, frame, lon, lat, level
    case accuracyM, speedKmh, headingDeg, batteryPct, moving
    case alert, gate, direction, person, card, count, plateColor, granted, request

    /// How many keys there are (computed once: `allCases` builds an array on every use).
    static let caseCount = allCases.count

    /// The member name on the wire.
    var name: String {
        switch self {
        case .type: return "type"
        case .t: return "t"
        case .tag: return "tag"
        case .plate: return "plate"
        case .x: return "x"
        case .y: return "y"
        case .frame: return "frame"
        case .lon: return "lon"
        case .lat: return "lat"
        case .level: return "level"
        case .accuracyM: return "accuracy_m"
        case .speedKmh: return "speed_kmh"
        case .headingDeg: return "heading_deg"
        case .batteryPct: return "battery_pct"
        case .moving: return "moving"
        case .alert: return "alert"
        case .gate: return "gate"
        case .direction: return "direction"
        case .person: return "person"
        case .card: return "card"
        case .count: return "count"
        case .plateColor: return "plate_color"
        case .granted: return "granted"
        case .request: return "request"
        }
    }

    /// The key whose name is `bytes`, or nil. Dispatches on length first, so that an unknown
    /// member costs a compare or two.
    static func lookup(_ bytes: UnsafeRawBufferPointer) -> FieldKey? {
        @inline(__always) func eq(_ literal: StaticString) -> Bool {
            let p = literal.utf8Start
            for k in 0..<bytes.count where bytes[k] != p[k] { return false }
            return true
        }
        switch bytes.count {
        case 1:
            switch bytes[0] {
            case UInt8(ascii: "t"): return .t
            case UInt8(ascii: "x"): return .x
            case UInt8(ascii: "y"): return .y
            default: return nil
            }
        case 3:
            if eq("tag") { return .tag }
            if eq("lon") { return .lon }
            if eq("lat") { return .lat }
        case 4:
            if eq("type") { return .type }
            if eq("gate") { return .gate }
            if eq("card") { return .card }
        case 5:
            if eq("plate") { return .plate }
            if eq("frame") { return .frame }
            if eq("level") { return .level }
            if eq("alert") { return .alert }
            if eq("count") { return .count }
        case 6:
            if eq("moving") { return .moving }
            if eq("person") { return .person }
        case 7:
            if eq("granted") { return .granted }
            if eq("request") { return .request }
        case 9:
            if eq("speed_kmh") { return .speedKmh }
            if eq("direction") { return .direction }
        case 10:
            if eq("accuracy_m") { return .accuracyM }
        case 11:
            if eq("heading_deg") { return .headingDeg }
            if eq("battery_pct") { return .batteryPct }
            if eq("plate_color") { return .plateColor }
        default:
            break
        }
        return nil
    }
}
