import CordonCore
import Geometry

/// Everyday life of the park's ordinary vehicles (vans, service cars): in by the main gate, a
/// short stop at a plant entrance, a while in the staff car park, out again, back later.
///
/// Stops on the road stay well under the site's `stop_after_s`, and parking is done in a lot,
/// so everyday driving raises nothing. Hazmat trucks have no routine: every delivery is a
/// ``HazmatDelivery`` incident, with its booking.
enum VehicleRoutine {
    /// The gate ordinary vehicles use, and the lot they park in.
    static let gate = "G1"
    static let lot = "P-STAFF"

    static func plan(_ i: Int, in w: SimulationWorld) {
        let v = w.vehicles[i]
        guard !v.isHazmat, let gate = w.layout.gate(gate) else { return }
        let lot = w.layout.parking.first { $0.id == Self.lot }
        switch v.errand {
        case 0:
            // In, and to a plant entrance for a delivery or a pick-up.
            guard let e = w.rng.pick(w.layout.enterprises, weight: { _ in 1 }) else { return }
            let stop = e.entranceOutside
            w.vehicles[i].plan = [.pass(gate: gate.id, direction: .in), .move(drivePath(w, from: gate.inside, to: stop))]
            w.vehicles[i].errand = 1
        case 1:
            // A short stop, then to the car park.
            let stay = w.rng.uniform(60...180).rounded()
            var steps: [Activity] = [.stay(until: w.now.adding(seconds: stay), spot: v.position, radius: 0)]
            if let lot {
                let d = w.rng.inDisc(radius: lot.clearance * 0.6)
                let spot = LocalPoint(x: lot.point.x + d.dx, y: lot.point.y + d.dy)
                steps.append(.move(drivePath(w, from: v.position, to: spot, lastLegKmh: 10)))
            }
            w.vehicles[i].plan = steps
            w.vehicles[i].errand = 2
        default:
            // Parked a while, then out, and away for a while.
            let parked = w.rng.uniform(300...900).rounded()
            let away = parked + 180 + w.rng.uniform(300...900).rounded()
            w.vehicles[i].plan = [
                .stay(until: w.now.adding(seconds: parked), spot: v.position, radius: 0),
                .move(drivePath(w, from: v.position, to: gate.inside)),
                .pass(gate: gate.id, direction: .out),
                .move(MovePath([gate.inside, w.outside(gate.id, metres: 20) ?? gate.point])),
                .away(until: w.now.adding(seconds: away)),
            ]
            w.vehicles[i].errand = 0
        }
    }

    /// A drive along the roads, with the last leg (off the road into a lot) at a crawl.
    static func drivePath(_ w: SimulationWorld, from a: LocalPoint, to b: LocalPoint, lastLegKmh: Double? = nil) -> MovePath {
        let points = w.roads.route(from: a, to: b)
        var speeds: [Double?] = Array(repeating: nil, count: max(points.count - 1, 0))
        if let kmh = lastLegKmh, !speeds.isEmpty { speeds[speeds.count - 1] = kmh / 3.6 }
        return MovePath(points, segmentSpeed: speeds)
    }
}
