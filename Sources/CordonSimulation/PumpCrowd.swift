import CordonCore
import Geometry

/// Operators and engineers of a plant gather round a leaking pump seal in a process unit that
/// watches for crowds (人员聚集): six of them within a few metres, for a minute and a half.
/// Once at least the zone's `min_people` have stood within its `radius_m` for `duration_s`,
/// `crowding` is raised; it clears when they go back to work.
///
/// The moment is the alarm: the fifth arrives `duration_s` before it, the others a few
/// seconds apart around then.
final class PumpCrowd: Incident {
    let name = "crowd at a pump"
    let leadTime = 900.0
    static let spacing = 4.0
    static let stayAfter = 35.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let day = w.day(at: moment)
        let units = w.places.indices.filter { w.places[$0].zone.crowding != nil && w.places[$0].enterprise != nil }
        var best: (zone: Int, people: [(Int, MovePath, Double)])?
        for z in w.rng.shuffled(units) {
            guard let rule = w.places[z].zone.crowding else { continue }
            let gather = moment.adding(seconds: -rule.durationS)
            let available = gather.seconds(since: w.now) - Double(rule.minPeople + 1) * Self.spacing - 5
            let pump = w.spot(in: z, spread: 0.3)
            var options: [(Int, MovePath, Double)] = []
            for i in w.available({ _, p in p.enterprise == w.places[z].enterprise && w.admits(p, z, on: day) }) {
                let d = w.rng.inDisc(radius: 3)
                let route = MovePath(w.route(w.people[i], to: z, spot: LocalPoint(x: pump.x + d.dx, y: pump.y + d.dy)))
                let time = route.length / w.people[i].speed
                guard time <= available else { continue }
                options.append((i, route, time))
            }
            guard options.count >= rule.minPeople else { continue }
            options.sort { ($0.2, $0.0) < ($1.2, $1.0) }
            // One more than makes a crowd, when there is one more.
            best = (z, Array(options.prefix(rule.minPeople + 1)))
            break
        }
        guard let best, let rule = w.places[best.zone].zone.crowding else { return false }
        let gather = moment.adding(seconds: -rule.durationS)
        for (k, c) in best.people.enumerated() {
            let (i, route, time) = c
            // The fifth (index minPeople - 1) arrives at `gather`.
            let arrive = gather.adding(seconds: Double(k - (rule.minPeople - 1)) * Self.spacing)
            let depart = arrive.adding(seconds: -time.rounded())
            let leave = moment.adding(seconds: Self.stayAfter + Double(k) * 3)
            w.people[i].busy = true
            w.people[i].plan = [
                .stay(until: depart, spot: w.people[i].position, radius: 1.5),
                .move(route),
                .stay(until: max(leave, arrive.adding(seconds: 10)), spot: route.end, radius: 0.8),
                .move(route.reversed()),
                .release,
            ]
        }
        let zone = w.places[best.zone].layout
        w.note(at: moment, kind: name, "\(best.people.count) people have stood round a leaking pump seal in \(zone.name) [\(zone.id)] for \(Int(rule.durationS)) s (\(rule.minPeople) within \(Int(rule.radiusM)) m make a crowd); they disperse in about \(Int(Self.stayAfter)) s")
        return true
    }
}
