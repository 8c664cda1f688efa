import CordonCore
import Geometry

/// A worker collapses — heat, fumes — and lies still: after the site's `man_down_after_s` the
/// tag's pre-alarm buzzes, nobody cancels it within `man_down_cancel_s`, and `man-down` is
/// raised. Colleagues help them up 90 s later: the tag moves, and it clears.
///
/// The moment is the alarm: the collapse is that long before it.
final class Collapse: Incident {
    let name = "man down"
    let leadTime = 200.0
    /// Lying still after the alarm, seconds.
    static let helpedUpAfter = 90.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let s = w.site.settings
        let still = s.manDownAfterS + s.manDownCancelS
        let options = w.available { _, p in
            guard let k = w.placeOf(p) else { return false }
            return !w.places[k].zone.twoPerson && ["process-unit", "warehouse", "loading-bay"].contains(w.places[k].layout.use)
        }
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        let fall = moment.adding(seconds: -still)
        let here = w.people[i].position
        // A last step or two, so the stillness starts exactly then.
        let d = w.rng.inDisc(radius: 1)
        let len = max((d.dx * d.dx + d.dy * d.dy).squareRoot(), 0.2)
        let down = LocalPoint(x: here.x + 1.5 * d.dx / len, y: here.y + 1.5 * d.dy / len)
        w.people[i].busy = true
        w.people[i].plan = [
            .stay(until: fall.adding(seconds: -2), spot: here, radius: 1),
            .move(MovePath([here, down])),
            .motionless(until: moment.adding(seconds: Self.helpedUpAfter)),
            .stay(until: moment.adding(seconds: Self.helpedUpAfter + 120), spot: down, radius: 1.5),
            .release,
        ]
        let zone = w.placeOf(w.people[i]).map { w.places[$0].layout }
        w.note(at: moment, kind: name, "\(w.people[i].label) collapsed in \(zone.map { "\($0.name) [\($0.id)]" } ?? "the plant") \(Int(still)) s ago and has not moved (pre-alarm not cancelled); helped up in \(Int(Self.helpedUpAfter)) s")
        return true
    }
}
