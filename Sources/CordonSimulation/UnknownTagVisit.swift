import CordonCore
import Geometry

/// A tag the registry does not know reports for a couple of minutes — a spare handed to a
/// visitor without registering it, a new contractor's tag not yet entered — and then goes
/// silent: `unknown-tag` raised at its first position, cleared after the site's offline time.
final class UnknownTagVisit: Incident {
    let name = "unknown tag"
    /// The stranger simply appears: nothing to prepare.
    let leadTime = 0.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        // Somewhere ordinary: along the way into an open place of a plant or of the park.
        let open = w.places.indices.filter {
            w.places[$0].layout.access == "open" && w.places[$0].frame == nil && (w.places[$0].layout.level ?? 0) == 0
        }
        guard !open.isEmpty else { return false }
        let target = w.rng.pick(open)
        let place = w.places[target]
        let speed = w.rng.uniform(1.0...1.3)
        let walked = min(place.path.length, speed * w.rng.uniform(60...120))
        let points = place.path.slice(from: 0, to: walked)
        let tag = "T9" + SimulationWorld.padded(w.next("unknown-tag") % 1000, 3)
        let visitor = SimulatedPerson(
            id: "visitor-\(tag)", name: "", role: "visitor", enterprise: place.enterprise, tag: tag, card: "",
            contractor: false, inductionUntil: nil, qualifications: [], registered: false, gate: "",
            speed: speed, phase: Int64(w.rng.int(0...999)), onDuty: false, battery: w.rng.uniform(40...90),
            drainPerSecond: 0, onSite: true, position: points[0], node: .hub,
            plan: [
                .move(MovePath(points)),
                .stay(until: moment.adding(seconds: (walked / speed + w.rng.uniform(20...45)).rounded()),
                      spot: points[points.count - 1], radius: 2),
                .vanish,
            ],
            busy: true)
        w.people.append(visitor)
        let area = place.enterprise.map { "\($0), on the way to \(place.layout.name)" } ?? place.layout.name
        w.note(at: moment, kind: name, "tag \(tag), not in the registry, reports for about \(Int(walked / speed) + 30) s (\(area))")
        return true
    }
}
