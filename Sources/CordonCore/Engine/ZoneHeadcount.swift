/// One zone's headcount as a platform takes it (`headcount.snapshot`, docs/forwarding.md):
/// how many people are in it now, by enterprise, and how many of them are contractors.
public struct ZoneHeadcount: Sendable, Equatable {
    public var zoneID: String
    public var name: String?
    public var risk: String?
    public var total: Int
    public var byEnterprise: [String: Int]
    public var contractors: Int
}

extension Engine {
    /// Every zone with someone in it, in the site's order.
    public func headcountSnapshot() -> [ZoneHeadcount] {
        site.zones.compactMap { zone in
            guard occupancy.count(zone: zone.index) > 0 else { return nil }
            var by: [String: Int] = [:]
            var contractors = 0
            let people = occupancy.people(zone: zone.index)
            for id in people {
                let p = registry.people[id]
                by[p?.enterprise ?? "unknown", default: 0] += 1
                if p?.contractor == true { contractors += 1 }
            }
            return ZoneHeadcount(zoneID: zone.id, name: zone.name, risk: zone.risk?.rawValue, total: people.count,
                                 byEnterprise: by, contractors: contractors)
        }
    }
}
