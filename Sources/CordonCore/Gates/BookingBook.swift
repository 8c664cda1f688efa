/// Every booking the park holds, by id and by plate, and the one question a gate asks of
/// them: may this vehicle enter here, now?
public struct BookingBook: Sendable {
    public private(set) var bookings: [String: Booking] = [:]
    private var idsByPlate: [String: [String]] = [:]
    private var assigned = 0

    public init() {}

    /// The booking with this id.
    public subscript(id: String) -> Booking? { bookings[id] }

    /// Bookings for a (canonical) plate, oldest window first.
    public func bookings(plate: String) -> [Booking] {
        (idsByPlate[plate] ?? []).compactMap { bookings[$0] }.sorted { ($0.window.from, $0.id) < ($1.window.from, $1.id) }
    }

    /// Adds or replaces a booking (also used to restore them after a restart).
    public mutating func put(_ b: Booking) {
        if let old = bookings[b.id], old.plate != b.plate { idsByPlate[old.plate]?.removeAll { $0 == b.id } }
        if bookings[b.id]?.plate != b.plate { idsByPlate[b.plate, default: []].append(b.id) }
        bookings[b.id] = b
    }

    /// A fresh id, `BK000001` upwards, skipping those taken: the same requests give the same ids.
    public mutating func newID() -> String {
        while true {
            assigned += 1
            let digits = String(assigned)
            let id = "BK" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            if bookings[id] == nil { return id }
        }
    }

    /// What the bookings of `plate` say about an entry at `gate` at `t`.
    public enum Verdict: Sendable, Equatable {
        /// This booking admits the entry.
        case valid(Booking)
        /// There are bookings, and none admits it: the most telling reason.
        case refused(AccessReason)
        /// There is no booking for the plate at all.
        case none
    }

    /// Finds the booking that admits an entry, or the reason none does. Of several problems
    /// the one closest to a valid booking is reported: a used booking for this gate and time
    /// before a window not yet open, before one that has closed, before another gate.
    public func verdict(plate: String, gate: String, at t: Instant) -> Verdict {
        let all = bookings(plate: plate)
        guard !all.isEmpty else { return .none }
        let live = all.filter { $0.status != .cancelled }
        if let ok = live.first(where: { $0.status == .active && $0.gate == gate && $0.window.contains(t) }) {
            return .valid(ok)
        }
        guard !live.isEmpty else {
            let c = all.last { $0.status == .cancelled }
            return .refused(AccessReason(.bookingCancelled, "booking \(c?.id ?? "") was cancelled"))
        }
        let here = live.filter { $0.gate == gate }
        if let used = here.first(where: { $0.status == .used && $0.window.contains(t) }) {
            return .refused(AccessReason(.bookingUsed, "booking \(used.id) was used by the entry at \(used.usedAt?.rfc3339 ?? "?"); one booking, one trip"))
        }
        let active = here.filter { $0.status == .active }
        if let next = active.filter({ $0.window.from > t }).min(by: { $0.window.from < $1.window.from }) {
            return .refused(AccessReason(.bookingNotYetValid, "booking \(next.id) opens at \(next.window.from.rfc3339)"))
        }
        if let last = active.filter({ $0.window.until < t }).max(by: { $0.window.until < $1.window.until }) {
            return .refused(AccessReason(.bookingExpired, "booking \(last.id) closed at \(last.window.until.rfc3339)"))
        }
        if let other = live.first(where: { $0.gate != gate && $0.status == .active && $0.window.contains(t) })
            ?? live.first(where: { $0.gate != gate && $0.status == .active }) {
            return .refused(AccessReason(.bookingWrongGate, "booking \(other.id) is for gate \(other.gate), not \(gate)"))
        }
        let used = live.last { $0.status == .used }
        return .refused(AccessReason(.bookingUsed, "booking \(used?.id ?? "") was used by the entry at \(used?.usedAt?.rfc3339 ?? "?"); one booking, one trip"))
    }
}
