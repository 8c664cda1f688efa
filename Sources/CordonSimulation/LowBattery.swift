import CordonCore
import Geometry

/// A tag's battery runs down below the site's `low_battery_pct`: `low-battery` raised (its
/// subject is the tag, with who carries it). Three minutes later the wearer swaps the battery
/// at the gatehouse and the tag reports full again: cleared.
///
/// The moment is the first report under the threshold. The wearer carries on as usual.
final class LowBattery: Incident {
    let name = "low battery"
    let leadTime = 5.0
    static let swapAfter = 180.0
    private var person: Int?
    private var moment = Instant(milliseconds: 0)
    private var step = 0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let options = w.available()
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        person = i
        self.moment = moment
        let threshold = w.site.settings.lowBatteryPct
        // Just above the threshold now, just under it at the moment.
        w.people[i].battery = threshold + 0.9
        w.note(at: moment, kind: name, "tag \(w.people[i].tag) of \(w.people[i].label) reports \(Int(threshold - 1)) % battery; swapped at the gatehouse in \(Int(Self.swapAfter / 60)) min")
        return true
    }

    func tick(in w: SimulationWorld) -> Bool {
        guard let i = person else { return false }
        let threshold = w.site.settings.lowBatteryPct
        if step == 0, w.now >= moment {
            w.people[i].battery = threshold - 0.4
            step = 1
        } else if step == 1, w.now >= moment.adding(seconds: Self.swapAfter) {
            w.people[i].battery = 100
            return false
        }
        return true
    }

    func musterBegins(in w: SimulationWorld) -> Bool {
        if let i = person { w.people[i].battery = 100 }
        return false
    }
}
