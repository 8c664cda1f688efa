import CordonCore
import Geometry

/// A hazmat truck's booked visit, planned: an idle truck, its booking (made by control request
/// a few minutes ahead, for the hazmat gate, its route and its enterprise), the way in along
/// the route to the loading bay (at a crawl on the last leg), and the same way back.
///
/// The hazmat incidents start from one: a plain delivery, a truck that speeds on the main
/// road, a truck that waits on the road shoulder.
struct HazmatTrip {
    /// Speed on the last leg into the loading bay, km/h (the bays allow 10).
    static let bayKmh = 8.0
    /// The booking is made this long before the truck arrives.
    static let bookAhead = 240.0

    let truck: Int
    let route: SiteLayout.Route
    let gate: SiteLayout.Gate
    /// From just inside the gate to the loading bay, and back.
    let out: MovePath
    let back: MovePath
    let booking: String
    let un: String

    /// Picks an idle truck and books it for an arrival at the gate at `arrival`; nil when
    /// every truck is busy.
    static func book(in w: SimulationWorld, arrival: Instant, maxStayMin: Int = 120) -> HazmatTrip? {
        let idle = w.vehicles.indices.filter {
            w.vehicles[$0].isHazmat && !w.vehicles[$0].busy && !w.vehicles[$0].onSite && w.vehicles[$0].plan.isEmpty
        }
        guard !idle.isEmpty else { return nil }
        let i = w.rng.pick(idle)
        let truck = w.vehicles[i]
        guard let route = w.layout.routes.first(where: { $0.to == truck.enterprise }) ?? w.layout.routes.first,
              let gate = w.layout.gate(route.from) else { return nil }
        let points = [gate.inside] + route.points.dropFirst()
        var speeds: [Double?] = Array(repeating: nil, count: points.count - 1)
        speeds[speeds.count - 1] = Self.bayKmh / 3.6
        let out = MovePath(points, segmentSpeed: speeds)
        let id = w.bookingID()
        let un = route.to == "E01" ? "1203" : "1824"
        let cargo: Value = un == "1203" ? ["un": "1203", "class": "3"] : ["un": "1824", "class": "8"]
        let request: Value = [
            "op": "booking.create", "id": .string(id), "plate": .string(truck.plate), "gate": .string(gate.id),
            "route": .string(route.id), "destination": .string(route.to),
            "window": ["from": .time(arrival.adding(seconds: -900)), "until": .time(arrival.adding(seconds: 2700))],
            "max_stay_min": .int(maxStayMin), "cargo": cargo,
            "waybill": .string("DY" + w.day(at: arrival).filter { $0 != "-" } + id.filter(\.isNumber)),
        ]
        w.schedule(SimulatedMessage(time: arrival.adding(seconds: -bookAhead), payload: .control(request)))
        w.vehicles[i].busy = true
        return HazmatTrip(truck: i, route: route, gate: gate, out: out, back: out.reversed(), booking: id, un: un)
    }

    /// Seconds from the gate to the bay, roughly (a slow start, corners, the last leg).
    func driveSeconds(_ w: SimulationWorld) -> Double { out.length / (w.vehicles[truck].cruise * 0.7) + 30 }

    /// In at `arrival`, the way in (`inbound`, by default straight along the route), loading
    /// until `loadUntil`, back along the route and out by the same gate.
    func plan(in w: SimulationWorld, arrival: Instant, inbound: [Activity]? = nil, loadUntil: Instant) -> [Activity] {
        [.away(until: arrival), .pass(gate: gate.id, direction: .in)]
            + (inbound ?? [.move(out)])
            + [
                .stay(until: loadUntil, spot: out.end, radius: 0),
                .move(back),
                .pass(gate: gate.id, direction: .out),
                .move(MovePath([gate.inside, w.outside(gate.id, metres: 20) ?? gate.point])),
                .away(until: arrival),
                .release,
            ]
    }

    /// "鲁E… (UN1203) in at G2 on booking B0001, route R1 to Z-E01-LOAD".
    func describe(_ w: SimulationWorld) -> String {
        "\(w.vehicles[truck].plate) (UN\(un)) in at \(gate.id) on booking \(booking), route \(route.id) to \(route.destinationZone)"
    }
}

/// A hazmat truck's visit by the book: booked a few minutes ahead, in by the hazmat gate,
/// along its route to the loading bay, loading for some minutes, back the same way and out.
/// Nothing is raised: the gate shows the decisions (`access.G2`, with the booking).
///
/// The moment is the gate passage in.
final class HazmatDelivery: Incident {
    let name = "hazmat delivery"
    let leadTime = HazmatTrip.bookAhead

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        guard let trip = HazmatTrip.book(in: w, arrival: moment) else { return false }
        let load = w.rng.uniform(360...720)
        let loadUntil = moment.adding(seconds: (trip.driveSeconds(w) + load).rounded())
        w.vehicles[trip.truck].plan = trip.plan(in: w, arrival: moment, loadUntil: loadUntil)
        w.note(at: moment, kind: name, trip.describe(w) + ", loads about \(Int(load / 60)) min, then back out by \(trip.gate.id)",
               people: false)
        return true
    }

    /// Trucks keep going through a muster: it is about people.
    func musterBegins(in w: SimulationWorld) -> Bool { false }
}

/// A hazmat truck on its booking puts its foot down on the main road: 45 km/h where the
/// route allows 30, for about 20 s, then back to its pace: `speeding` raised once the speed
/// has lasted the site's `speeding_min_s`, cleared at the next fix under the limit.
///
/// The moment is the alarm; the truck comes in at the gate about 40 s before, and the
/// incident watches it to open the throttle 110 m along the road.
final class SpeedingTruck: Incident {
    let name = "speeding truck"
    let leadTime = HazmatTrip.bookAhead + 40
    /// The hurried speed, km/h, and for how long.
    static let kmh = 45.0
    static let seconds = 22.0
    private var trip: HazmatTrip?
    private var done = false

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let arrival = moment.adding(seconds: -40)
        guard let trip = HazmatTrip.book(in: w, arrival: arrival) else { return false }
        self.trip = trip
        let load = w.rng.uniform(300...540)
        let loadUntil = arrival.adding(seconds: (trip.driveSeconds(w) + load).rounded())
        w.vehicles[trip.truck].plan = trip.plan(in: w, arrival: arrival, loadUntil: loadUntil)
        w.note(at: arrival, kind: "hazmat delivery", trip.describe(w) + ", loads about \(Int(load / 60)) min", people: false)
        return true
    }

    func tick(in w: SimulationWorld) -> Bool {
        guard let trip, !done else { return false }
        let v = w.vehicles[trip.truck]
        guard v.busy else { return false }
        if case .move(let path)? = v.plan.first, path.segment == 0, path.offset > 110, path.remaining > 400,
           path.end.distance(to: trip.out.end) < 1 {
            w.vehicles[trip.truck].boost = (Self.kmh / 3.6, w.now.adding(seconds: Self.seconds))
            w.note(at: w.now.adding(seconds: 17), kind: name,
                   "\(v.plate) (UN\(trip.un), booking \(trip.booking)) speeds along the main road at \(Int(Self.kmh)) km/h (route limit \(Int(trip.route.speedLimitKmh))) for about \(Int(Self.seconds)) s",
                   people: false)
            done = true
            return false
        }
        return true
    }

    func musterBegins(in w: SimulationWorld) -> Bool { true }
}

/// A hazmat truck on its booking pulls onto the road shoulder a few hundred metres inside the
/// hazmat gate and waits there six minutes — for its loading slot, instead of in the waiting
/// lot — then drives on to its bay: `illegal-stop` raised when the stop reaches the site's
/// `stop_after_s`, cleared when it moves on.
///
/// The moment is the alarm; the truck comes in about six minutes before. The incident
/// watches for the stop to begin, and times it from there.
final class ShoulderStop: Incident {
    let name = "shoulder stop"
    let leadTime = HazmatTrip.bookAhead + 360
    /// How long the truck stands, seconds; where, metres along the road from inside the gate.
    static let stop = 360.0
    static let along = 290.0
    private var trip: HazmatTrip?
    private var shoulder = LocalPoint(x: 0, y: 0)
    private var stopped = false

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let arrival = moment.adding(seconds: -(w.site.settings.stopAfterS + 55))
        guard let trip = HazmatTrip.book(in: w, arrival: arrival) else { return false }
        self.trip = trip
        let out = trip.out
        let a = out.point(at: Self.along - 14), b = out.point(at: Self.along)
        let len = max(a.distance(to: b), 1e-9)
        // The right-hand side of the direction of travel, 8 m off the centreline.
        let right = (x: (b.y - a.y) / len, y: -(b.x - a.x) / len)
        shoulder = LocalPoint(x: b.x + right.x * 8, y: b.y + right.y * 8)
        let rejoin = Self.along + 14
        let pullOver = MovePath(out.slice(from: 0, to: Self.along - 14) + [shoulder], segmentSpeed: nil)
        var onward = [shoulder] + out.slice(from: rejoin, to: out.length)
        onward = onward.enumerated().filter { $0.offset == 0 || $0.element.distance(to: onward[$0.offset - 1]) > 0.01 }.map(\.element)
        var speeds: [Double?] = Array(repeating: nil, count: max(onward.count - 1, 0))
        if !speeds.isEmpty {
            speeds[0] = 15 / 3.6
            speeds[speeds.count - 1] = HazmatTrip.bayKmh / 3.6
        }
        let inbound: [Activity] = [
            .move(pullOver),
            // Until the incident sees the stop begin and times it.
            .stay(until: moment.adding(seconds: 3600), spot: shoulder, radius: 0),
            .move(MovePath(onward, segmentSpeed: speeds)),
        ]
        let load = w.rng.uniform(240...420)
        let loadUntil = arrival.adding(seconds: (trip.driveSeconds(w) + Self.stop + load).rounded())
        w.vehicles[trip.truck].plan = trip.plan(in: w, arrival: arrival, inbound: inbound, loadUntil: loadUntil)
        w.note(at: arrival, kind: "hazmat delivery", trip.describe(w) + ", loads about \(Int(load / 60)) min", people: false)
        return true
    }

    func tick(in w: SimulationWorld) -> Bool {
        guard let trip, !stopped else { return false }
        let v = w.vehicles[trip.truck]
        guard v.busy else { return false }
        if case .stay(_, let spot, _)? = v.plan.first, spot.distance(to: shoulder) < 0.01, v.position.distance(to: shoulder) < 0.5 {
            stopped = true
            w.vehicles[trip.truck].plan[0] = .stay(until: w.now.adding(seconds: Self.stop), spot: shoulder, radius: 0)
            w.note(at: w.now.adding(seconds: w.site.settings.stopAfterS), kind: name,
                   "\(v.plate) (UN\(trip.un), booking \(trip.booking)) has stood on the road shoulder \(Int(w.site.settings.stopAfterS / 60)) min waiting for its loading slot (not in the waiting lot); drives on in \(Int((Self.stop - w.site.settings.stopAfterS) / 60)) min",
                   people: false)
            return false
        }
        return true
    }

    func musterBegins(in w: SimulationWorld) -> Bool { true }
}
