/// A booked vehicle visit (预约): one truck, one gate, one time window, one trip.
///
/// Hazmat trucks enter only with a booking, at the booked gate, within its window; so do
/// vehicles the registry does not know (visitors). A booking is used by the first entry it
/// admits and cannot admit a second.
public struct Booking: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not used yet.
        case active
        /// Its one trip has begun.
        case used
        case cancelled
    }

    /// The time during which the vehicle may enter; it must reach its destination by `until`.
    public struct Window: Sendable, Equatable, Codable {
        public var from: Instant
        public var until: Instant

        public init(from: Instant, until: Instant) {
            self.from = from
            self.until = until
        }

        public func contains(_ t: Instant) -> Bool { from <= t && t <= until }
    }

    public var id: String
    /// Canonical plate (``PlateNumber``).
    public var plate: String
    public var gate: String
    public var route: String?
    /// An enterprise, zone or parking lot of the site.
    public var destination: String?
    public var window: Window
    /// Longest stay in the park, in minutes.
    public var maxStayMin: Double?
    /// Dangerous goods carried; a booking with cargo is a hazmat visit.
    public var cargo: Cargo?
    /// Electronic waybill number (电子运单).
    public var waybill: String?
    public var status: Status = .active
    public var createdAt: Instant
    public var usedAt: Instant?
    public var cancelledAt: Instant?

    public init(
        id: String, plate: String, gate: String, route: String? = nil, destination: String? = nil, window: Window,
        maxStayMin: Double? = nil, cargo: Cargo? = nil, waybill: String? = nil, createdAt: Instant
    ) {
        self.id = id
        self.plate = plate
        self.gate = gate
        self.route = route
        self.destination = destination
        self.window = window
        self.maxStayMin = maxStayMin
        self.cargo = cargo
        self.waybill = waybill
        self.createdAt = createdAt
    }

    /// The protocol shape, as `booking.list` returns it.
    public var value: Value {
        var o: [String: Value] = [
            "id": .string(id), "plate": .string(plate), "gate": .string(gate),
            "window": ["from": .time(window.from), "until": .time(window.until)],
            "status": .string(status.rawValue), "created_at": .time(createdAt),
        ]
        if let route { o["route"] = .string(route) }
        if let destination { o["destination"] = .string(destination) }
        if let maxStayMin { o["max_stay_min"] = .number(maxStayMin) }
        if let cargo {
            o["cargo"] = .compact(["un": .string(cargo.un), "class": .string(cargo.hazardClass), "name": .optional(cargo.name)])
        }
        if let waybill { o["waybill"] = .string(waybill) }
        if let usedAt { o["used_at"] = .time(usedAt) }
        if let cancelledAt { o["cancelled_at"] = .time(cancelledAt) }
        return .object(o)
    }
}
