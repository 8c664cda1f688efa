import Geometry

/// `crowding` (人员聚集): at least `min_people` within `radius_m` of one another for
/// `duration_s`, in a zone with a `crowding` rule.
///
/// A group is a person and everyone within `radius_m` of them on the same floor; the zone is
/// crowded while its largest group has `min_people` or more. People are binned in a grid of
/// `radius_m` cells, so only neighbouring cells are compared, never all pairs. One episode per
/// zone: raised by the clock once the zone has been crowded for `duration_s` (with who and
/// where), cleared when no group of that size is left.
struct CrowdingRule {
    struct Episode: Equatable {
        var since: Instant
    }

    /// Zones crowded now, since when.
    private(set) var episodes: [Int: Episode] = [:]
    /// Scratch space for counting groups, kept between positions.
    private var counter = GroupCounter()

    /// Puts back a zone crowded since `since` (after a restart).
    mutating func restore(zone: Int, since: Instant) { episodes[zone] = Episode(since: since) }

    /// The largest group in the zone: its members and their centre.
    struct Group {
        var members: [String]
        var centre: LocalPoint
        var level: Int
    }

    static func largestGroup(zone: Int, radius: Double, occupancy: ZoneOccupancy,
                             locate: (String) -> (point: LocalPoint, level: Int)?) -> Group? {
        var best: Group?
        var byLevel: [Int: [(String, LocalPoint)]] = [:]
        for person in occupancy.people(zone: zone) {
            if let l = locate(person) { byLevel[l.level, default: []].append((person, l.point)) }
        }
        for (level, people) in byLevel.sorted(by: { $0.key < $1.key }) {
            var grid: [Int64: [Int]] = [:]
            func cell(_ p: LocalPoint) -> (Int64, Int64) { (Int64((p.x / radius).rounded(.down)), Int64((p.y / radius).rounded(.down))) }
            func key(_ cx: Int64, _ cy: Int64) -> Int64 { cx &* 1_000_003 &+ cy }
            for (i, (_, p)) in people.enumerated() {
                let (cx, cy) = cell(p)
                grid[key(cx, cy), default: []].append(i)
            }
            for (i, (_, p)) in people.enumerated() {
                let (cx, cy) = cell(p)
                var members: [Int] = []
                for dx in -1...1 {
                    for dy in -1...1 {
                        for j in grid[key(cx + Int64(dx), cy + Int64(dy))] ?? [] where people[j].1.distance(to: p) <= radius {
                            members.append(j)
                        }
                    }
                }
                _ = i
                if members.count > (best?.members.count ?? 0) {
                    let pts = members.map { people[$0].1 }
                    let centre = LocalPoint(x: pts.map(\.x).reduce(0, +) / Double(pts.count),
                                            y: pts.map(\.y).reduce(0, +) / Double(pts.count))
                    best = Group(members: members.map { people[$0].0 }.sorted(), centre: centre, level: level)
                }
            }
        }
        return best
    }

    /// Re-evaluates the zone at `t`; returns when to check again, if a new episode started.
    /// Runs at every position of someone in the zone: it counts in reused buffers
    /// (``GroupCounter``) and builds the group itself only when an alarm is raised.
    mutating func evaluate(zone: Zone, occupancy: ZoneOccupancy, at t: Instant,
                           locate: (String) -> (point: LocalPoint, level: Int)?, context c: inout RuleContext) -> Instant? {
        guard let rule = zone.crowding else { return nil }
        let size = counter.largestGroupSize(zone: zone.index, radius: rule.radiusM, occupancy: occupancy, locate: locate)
        if size >= rule.minPeople {
            guard episodes[zone.index] == nil else { return nil }
            episodes[zone.index] = Episode(since: t)
            return t.adding(seconds: rule.durationS)
        }
        if episodes.removeValue(forKey: zone.index) != nil {
            c.alarms.clear(.crowding, .zone(zone.id), scope: zone.id, at: t) { _ in ["largest_group": .int(size), "min_people": .int(rule.minPeople)] }
        }
        return nil
    }

    /// The clock reached a check for the zone.
    func check(zone: Zone, occupancy: ZoneOccupancy, at t: Instant, locate: (String) -> (point: LocalPoint, level: Int)?,
               context c: inout RuleContext) {
        guard let rule = zone.crowding, let e = episodes[zone.index], t.seconds(since: e.since) >= rule.durationS,
              let group = Self.largestGroup(zone: zone.index, radius: rule.radiusM, occupancy: occupancy, locate: locate)
        else { return }
        let centre = c.position(group.centre, level: group.level)
        c.raise(.crowding, subject: .zone(zone), scope: zone.id, at: t, zone: zone, position: centre,
                details: ["count": .int(group.members.count), "people": .array(group.members.map(Value.string)),
                          "min_people": .int(rule.minPeople), "radius_m": .number(rule.radiusM),
                          "duration_s": .number(rule.durationS), "since": .time(e.since)])
    }

    /// Follows zones to their new positions after a site reload; zones that are gone are dropped.
    mutating func remap(_ moved: [Int: Int]) {
        episodes = Dictionary(uniqueKeysWithValues: episodes.compactMap { k, v in moved[k].map { ($0, v) } })
    }
}
