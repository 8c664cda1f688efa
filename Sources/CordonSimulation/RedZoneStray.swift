import CordonCore
import Geometry

/// Someone walks into a red zone of their own plant that they are not qualified for — a
/// contractor taking a short cut through the tank farm, a clerk looking for a colleague by the
/// flare — and walks out again a little under a minute later: `restricted-zone` raised, then
/// cleared. (Under a minute, because a tank farm is a two-person zone: a longer stay would also
/// raise `lone-worker`, and each incident is meant to show one kind of alarm.)
///
/// The moment is when they cross the zone's edge. They leave their work just in time to get
/// there then, and afterwards go back the way they came.
final class RedZoneStray: Incident {
    let name = "red-zone stray"
    /// Long enough to walk from one end of the refinery to the other.
    let leadTime = 900.0
    /// How far past the edge they go, metres: far enough that positioning noise at the edge
    /// cannot make them seem to leave.
    static let depth = 12.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let day = w.day(at: moment)
        let reds = w.places.indices.filter { w.places[$0].layout.risk == "red" && w.places[$0].enterprise != nil }
        let available = moment.seconds(since: w.now) - 5
        var options: [(person: Int, zone: Int, route: MovePath, toEdge: Double, weight: Double)] = []
        for (i, p) in w.people.enumerated() {
            guard p.registered, p.onSite, !p.busy, !p.onDuty, p.level == 0, w.isStaying(p), case .place = p.node else { continue }
            for z in reds where w.places[z].enterprise == p.enterprise && !w.admits(p, z, on: day) {
                let red = w.places[z]
                // Too far even as the crow flies: skip the route planning.
                guard p.position.distance(to: red.layout.point) - red.layout.clearance <= available * p.speed else { continue }
                let full = MovePath(w.route(p, to: z, spot: red.layout.point))
                guard let edge = w.firstArc(full, from: 0, where: { red.zone.shape.contains($0) }),
                      edge / p.speed <= available else { continue }
                let route = MovePath(full.slice(from: 0, to: min(full.length, edge + Self.depth)))
                options.append((i, z, route, edge, p.contractor ? 3 : 1))
            }
        }
        guard let pick = w.rng.pick(options, weight: { $0.weight }) else { return false }
        let i = pick.person
        let depart = moment.adding(seconds: -(pick.toEdge / w.people[i].speed).rounded())
        let inside = pick.route.end
        let stay = w.rng.uniform(22...30).rounded()
        let arrive = depart.adding(seconds: (pick.route.length / w.people[i].speed).rounded())
        w.people[i].busy = true
        w.people[i].plan = [
            .stay(until: depart, spot: w.people[i].position, radius: 1.5),
            .move(pick.route),
            .stay(until: arrive.adding(seconds: stay), spot: inside, radius: 2),
            .move(pick.route.reversed()),
            .release,
        ]
        let zone = w.places[pick.zone].layout
        let why = zone.access == "forbidden" ? "closed to everyone" : "needs " + (zone.requires + zone.roles).joined(separator: " or ")
        w.note(at: moment, kind: name, "\(w.people[i].label) walks into \(zone.name) [\(zone.id)], \(why); out again in about \(Int(stay) + 20) s")
        return true
    }
}
