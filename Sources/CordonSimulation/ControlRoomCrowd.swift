import CordonCore
import Geometry

/// People gather in the refinery's central control room (`Z-E01-CCR`, at most 8) on top of
/// the operators on duty — a shift briefing, visitors, an upset in the plant — for a minute or
/// so, then go back to work: `overcrowding` raised, then cleared.
///
/// The moment is when the one too many walks in. The others arrive a few seconds apart before
/// and after; a minute later they leave a few seconds apart, back to where they came from.
final class ControlRoomCrowd: Incident {
    let name = "control-room crowd"
    let leadTime = 900.0
    let zoneID: String
    /// Seconds between one arrival (or departure) and the next.
    static let spacing = 4.0

    init(zoneID: String = "Z-E01-CCR") {
        self.zoneID = zoneID
    }

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        guard let room = w.place(zoneID), let limit = w.places[room].layout.maxPeople,
              let enterprise = w.places[room].enterprise else { return false }
        let onDuty = w.people.filter { $0.onSite && $0.node == .place(room) && !$0.busy }.count
        let needed = max(1, limit + 1 - onDuty)
        let count = needed + w.rng.int(0...2)
        let available = moment.seconds(since: w.now) - Double(count) * Self.spacing - 5
        let door = w.places[room]
        var options: [(person: Int, route: MovePath, toDoor: Double)] = []
        for (i, p) in w.people.enumerated() {
            guard p.registered, p.onSite, !p.busy, !p.onDuty, p.level == 0, p.enterprise == enterprise,
                  w.isStaying(p), p.node != .place(room) else { continue }
            let route = MovePath(w.route(p, to: room, spot: w.spot(in: room, spread: 0.3)))
            guard let toDoor = w.firstArc(route, from: 0, where: { door.zone.shape.contains($0) }),
                  toDoor / p.speed <= available else { continue }
            options.append((i, route, toDoor))
        }
        guard options.count >= count else { return false }
        // Who comes: mostly those nearby (the office, the canteen), in a random order.
        options.sort { ($0.toDoor, $0.person) < ($1.toDoor, $1.person) }
        var pool = Array(options.prefix(count + 4))
        var chosen: [(person: Int, route: MovePath, toDoor: Double)] = []
        for _ in 0..<count { chosen.append(pool.remove(at: w.rng.int(0...(pool.count - 1)))) }
        let stay = w.rng.uniform(60...80).rounded()
        for (k, c) in chosen.enumerated() {
            let i = c.person
            // The one too many is number `needed - 1`, and walks in at the moment.
            let doorTime = moment.adding(seconds: Double(k - (needed - 1)) * Self.spacing)
            let depart = doorTime.adding(seconds: -(c.toDoor / w.people[i].speed).rounded())
            let arrive = depart.adding(seconds: (c.route.length / w.people[i].speed).rounded())
            let leave = moment.adding(seconds: stay + Double(k) * Self.spacing * 1.5)
            w.people[i].busy = true
            w.people[i].plan = [
                .stay(until: depart, spot: w.people[i].position, radius: 1.5),
                .move(c.route),
                .stay(until: max(leave, arrive.adding(seconds: 10)), spot: c.route.end, radius: 1),
                .move(c.route.reversed()),
                .release,
            ]
        }
        let zone = w.places[room].layout
        w.note(at: moment, kind: name, "\(count) people join the \(onDuty) on duty in \(zone.name) [\(zone.id)] (limit \(limit)) for about \(Int(stay)) s")
        return true
    }
}
