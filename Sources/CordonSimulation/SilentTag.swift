import CordonCore
import Geometry

/// A tag goes silent in a warehouse — between steel racks the radio does not reach — while its
/// wearer works on; after the site's `offline_after_s` without a position `tag-offline` is
/// raised, and it clears when the tag is heard again half a minute later.
///
/// The moment is the alarm; the silence begins `offline_after_s` before it.
final class SilentTag: Incident {
    let name = "silent tag"
    var leadTime: Double { 60 }
    static let backAfter = 35.0

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let offline = w.site.settings.offlineAfterS
        let options = w.available { _, p in w.placeOf(p).map { w.places[$0].layout.use == "warehouse" } ?? false }
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        let here = w.people[i].position
        let k = w.placeOf(w.people[i])!
        w.people[i].busy = true
        w.people[i].plan = [
            .stay(until: moment.adding(seconds: -offline), spot: here, radius: 1),
            .mute(until: moment.adding(seconds: Self.backAfter)),
            .stay(until: moment.adding(seconds: Self.backAfter + 90), spot: here, radius: w.wanderRadius(in: k)),
            .release,
        ]
        let zone = w.places[k].layout
        w.note(at: moment, kind: name, "\(w.people[i].label)'s tag has been silent \(Int(offline)) s among the racks of \(zone.name) [\(zone.id)]; heard again in about \(Int(Self.backAfter)) s")
        return true
    }
}
