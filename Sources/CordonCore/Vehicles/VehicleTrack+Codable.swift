import Geometry

/// A vehicle's motion as the snapshot and the journal keep it, so that a stop, a speeding or an
/// off-route episode keeps its start across a restart.
extension VehicleTrack: Codable {
    private enum CodingKeys: String, CodingKey {
        case fixX = "fix_x", fixY = "fix_y", lastFixTime = "fix_t", speedKmh = "kmh", speedDerived = "derived", jumps
        case overSince = "over_since", maxSpeedKmh = "max_kmh", slowSince = "slow_since", offRouteSince = "off_route_since"
        case atDestination = "at_destination", lot, lotSince = "lot_since", onSiteSince = "on_site_since"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let x = try c.decodeIfPresent(Double.self, forKey: .fixX), let y = try c.decodeIfPresent(Double.self, forKey: .fixY) {
            lastFix = LocalPoint(x: x, y: y)
        }
        lastFixTime = try c.decodeIfPresent(Instant.self, forKey: .lastFixTime)
        speedKmh = try c.decodeIfPresent(Double.self, forKey: .speedKmh) ?? 0
        speedDerived = try c.decodeIfPresent(Bool.self, forKey: .speedDerived) ?? false
        jumps = try c.decodeIfPresent(Int.self, forKey: .jumps) ?? 0
        overSince = try c.decodeIfPresent(Instant.self, forKey: .overSince)
        maxSpeedKmh = try c.decodeIfPresent(Double.self, forKey: .maxSpeedKmh) ?? 0
        slowSince = try c.decodeIfPresent(Instant.self, forKey: .slowSince)
        offRouteSince = try c.decodeIfPresent(Instant.self, forKey: .offRouteSince)
        atDestination = try c.decodeIfPresent(Bool.self, forKey: .atDestination) ?? false
        lot = try c.decodeIfPresent(String.self, forKey: .lot)
        lotSince = try c.decodeIfPresent(Instant.self, forKey: .lotSince)
        onSiteSince = try c.decodeIfPresent(Instant.self, forKey: .onSiteSince)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(lastFix?.x, forKey: .fixX)
        try c.encodeIfPresent(lastFix?.y, forKey: .fixY)
        try c.encodeIfPresent(lastFixTime, forKey: .lastFixTime)
        try c.encode(speedKmh.isFinite ? speedKmh : 0, forKey: .speedKmh)
        try c.encode(speedDerived, forKey: .speedDerived)
        try c.encode(jumps, forKey: .jumps)
        try c.encodeIfPresent(overSince, forKey: .overSince)
        try c.encode(maxSpeedKmh.isFinite ? maxSpeedKmh : 0, forKey: .maxSpeedKmh)
        try c.encodeIfPresent(slowSince, forKey: .slowSince)
        try c.encodeIfPresent(offRouteSince, forKey: .offRouteSince)
        try c.encode(atDestination, forKey: .atDestination)
        try c.encodeIfPresent(lot, forKey: .lot)
        try c.encodeIfPresent(lotSince, forKey: .lotSince)
        try c.encodeIfPresent(onSiteSince, forKey: .onSiteSince)
    }
}
