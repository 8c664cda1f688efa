import CordonCore
import Geometry

/// A tag's fall sensor fires — a stumble on the stairs, a tag knocked against a railing —
/// and its wearer presses cancel eight seconds later, well within `man_down_cancel_s`:
/// nothing is raised. (The note says so; the events stay quiet, as they should.)
///
/// The moment is the fall alert.
final class FallCancelled: Incident {
    let name = "fall cancelled"
    let leadTime = 2.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let options = w.available { _, p in w.placeOf(p) != nil }
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        let here = w.people[i].position
        w.people[i].busy = true
        w.people[i].plan = [
            .stay(until: moment, spot: here, radius: 1),
            .alert(.fall),
            .motionless(until: moment.adding(seconds: 8)),
            .alert(.cancel),
            .stay(until: moment.adding(seconds: 60), spot: here, radius: 1),
            .release,
        ]
        w.note(at: moment, kind: name, "\(w.people[i].label)'s tag reports a fall; they press cancel 8 s later, within \(Int(w.site.settings.manDownCancelS)) s: no alarm")
        return true
    }
}
