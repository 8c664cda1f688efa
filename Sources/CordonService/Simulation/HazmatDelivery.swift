import CordonCore
import Geometry

/// A hazmat truck's visit: booked by control request a few minutes ahead, in by the hazmat
/// gate, along its designated route to the loading bay (at a crawl on the last leg), loading
/// for some minutes, back the same way and out.
///
/// The moment is the gate passage in. A service that does not know bookings yet refuses the
/// `booking.create`; the truck comes all the same.
final class HazmatDelivery: Incident {
    let name = "hazmat delivery"
    /// The booking is made this long before the truck arrives.
    let leadTime = 240.0
    /// Speed on the last leg into the loading bay, km/h (the bays allow 10).
    static let bayKmh = 8.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let idle = w.vehicles.indices.filter { w.vehicles[$0].isHazmat && !w.vehicles[$0].busy && !w.vehicles[$0].onSite && w.vehicles[$0].plan.isEmpty }
        guard !idle.isEmpty else { return false }
        let i = w.rng.pick(idle)
        let truck = w.vehicles[i]
        guard let route = w.layout.routes.first(where: { $0.to == truck.enterprise }) ?? w.layout.routes.first,
              let gate = w.layout.gate(route.from) else { return false }
        let points = [gate.inside] + route.points.dropFirst()
        var speeds: [Double?] = Array(repeating: nil, count: points.count - 1)
        speeds[speeds.count - 1] = Self.bayKmh / 3.6
        let out = MovePath(points, segmentSpeed: speeds)
        let back = out.reversed()
        let n = w.next("booking")
        let id = "B" + SimulationWorld.padded(n, 4)
        let cargo: Value = route.to == "E01" ? ["un": "1203", "class": "3"] : ["un": "1824", "class": "8"]
        let booking: Value = [
            "op": "booking.create", "id": .string(id), "plate": .string(truck.plate), "gate": .string(gate.id),
            "route": .string(route.id), "destination": .string(route.to),
            "window": ["from": .time(moment.adding(seconds: -900)), "until": .time(moment.adding(seconds: 2700))],
            "max_stay_min": 120, "cargo": cargo,
            "waybill": .string("DY" + w.day(at: moment).filter { $0 != "-" } + SimulationWorld.padded(n, 4)),
        ]
        w.schedule(SimulatedMessage(time: moment.adding(seconds: -leadTime), payload: .control(booking)))
        // Loading ends a while after the truck is expected at the bay (slow start, corners, last leg).
        let expected = out.length / (truck.cruise * 0.7) + 30
        let load = w.rng.uniform(360...720)
        w.vehicles[i].busy = true
        w.vehicles[i].plan = [
            .away(until: moment),
            .pass(gate: gate.id, direction: .in),
            .move(out),
            .stay(until: moment.adding(seconds: (expected + load).rounded()), spot: out.end, radius: 0),
            .move(back),
            .pass(gate: gate.id, direction: .out),
            .move(MovePath([gate.inside, w.outside(gate.id, metres: 20) ?? gate.point])),
            .away(until: moment),
            .release,
        ]
        w.note(at: moment, kind: name, "\(truck.plate) (UN\(cargo["un"]?.stringValue ?? "?")) in at \(gate.id) on booking \(id), route \(route.id) to \(route.destinationZone), loads about \(Int(load / 60)) min, then back out by \(gate.id)")
        return true
    }
}
