import Geometry

/// Where a hazardous-chemicals vehicle on site is, as platforms take it (`vehicle.position`,
/// docs/forwarding.md; JT/T 809's real-time location): its latest fix with speed and heading,
/// and the booking and cargo it came in on.
public struct HazmatVehicleFix: Sendable, Equatable {
    public var plate: String
    public var enterprise: String?
    /// Event time of the fix.
    public var time: Instant
    public var point: LocalPoint
    public var level: Int
    public var lonLat: LonLat
    /// km/h, reported or derived from fixes.
    public var speedKmh: Double
    /// Degrees clockwise from north, from its last two fixes; nil until it has moved.
    public var headingDeg: Double?
    public var booking: String?
    public var cargo: Cargo?
    public var destination: String?
    /// The zones it is in, by id.
    public var zones: [String]
}

extension Engine {
    /// Every hazardous-chemicals vehicle with a position: a vehicle the registry lists as
    /// `hazmat`, or one that came in on a booking with cargo. Sorted by plate.
    public func hazmatVehicles() -> [HazmatVehicleFix] {
        var out: [HazmatVehicleFix] = []
        for (key, slot) in slots {
            guard case .vehicle(let plate) = key, let time = states[slot].lastPositionTime else { continue }
            let booking = activeBooking(plate)
            let registered = registry.vehicles[plate]
            guard registered?.kind == .hazmat || booking?.cargo != nil else { continue }
            let s = states[slot]
            let track = vehicleTracks[slot]
            out.append(HazmatVehicleFix(
                plate: plate, enterprise: registered?.enterprise, time: time, point: s.point, level: s.level,
                lonLat: site.frame.toLonLat(s.point), speedKmh: track?.speedKmh ?? 0, headingDeg: track?.headingDeg,
                booking: booking?.id, cargo: booking?.cargo, destination: booking?.destination ?? registered?.enterprise,
                zones: s.stays.map { site.zones[$0.zone].id }))
        }
        return out.sorted { $0.plate < $1.plate }
    }
}
