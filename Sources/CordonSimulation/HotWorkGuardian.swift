import CordonCore
import Geometry

/// Hot work in a tank farm under a work permit: the enterprise's safety office issues a
/// `hot-work` permit (`permit.create`) for a welder, with a guardian (监护人) who must stay
/// with them. Both walk in together and work a few minutes — the permit admits them, the
/// two-person rule is met, nothing is raised. Then the guardian walks off to the canteen:
/// a minute later `lone-worker` is raised for the welder, twice over (alone in a two-person
/// zone; no guardian of the permit within reach). The welder stops and walks out 45 s later
/// (both clear), and the permit is closed (`permit.close`).
///
/// The moment is the alarm.
final class HotWorkGuardian: Incident {
    let name = "hot-work guardian"
    let leadTime = 1500.0
    /// Working together before the guardian leaves, seconds (at least).
    static let together = 150.0
    /// The welder carries on alone after the alarm, seconds.
    static let aloneAfter = 45.0

    private struct Pick {
        var welder: Int
        var guardian: Int
        var zone: Int
        var rest: Int
        var welderRoute: MovePath
        var guardianRoute: MovePath
        var welderEdge: Double
        var guardianEdge: Double
    }

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let grace = w.site.settings.loneWorkerGraceS
        // Tank farms (two-person zones) of an enterprise with a canteen first, else with an office.
        let farms = w.places.indices.filter { w.places[$0].zone.twoPerson && w.places[$0].enterprise != nil && (w.places[$0].layout.level ?? 0) == 0 }
        var picks: [Pick] = []
        for z in farms {
            let e = w.places[z].enterprise
            guard let rest = w.places.indices.first(where: { w.places[$0].enterprise == e && w.places[$0].layout.use == "canteen" })
                ?? w.places.indices.first(where: { w.places[$0].enterprise == e && w.places[$0].layout.use == "office" }) else { continue }
            let staying = w.available { _, p in p.enterprise == e && w.placeOf(p) != nil }
            let welders = staying.filter { ["welder", "maintenance"].contains(w.people[$0].role) }
            let guardians = staying.filter { ["safety", "engineer", "operator", "tank-operator"].contains(w.people[$0].role) }
            guard let wi = welders.min(by: { w.people[$0].position.distance(to: w.places[z].layout.point) < w.people[$1].position.distance(to: w.places[z].layout.point) }),
                  let gi = guardians.filter({ $0 != wi }).min(by: { w.people[$0].position.distance(to: w.places[z].layout.point) < w.people[$1].position.distance(to: w.places[z].layout.point) })
            else { continue }
            let spot = w.spot(in: z, spread: 0.35)
            let wr = MovePath(w.route(w.people[wi], to: z, spot: spot))
            let gr = MovePath(w.route(w.people[gi], to: z, spot: LocalPoint(x: spot.x + 2.5, y: spot.y + 1.5)))
            guard let we = w.firstArc(wr, from: 0, where: { w.places[z].zone.shape.contains($0) }),
                  let ge = w.firstArc(gr, from: 0, where: { w.places[z].zone.shape.contains($0) }) else { continue }
            picks.append(Pick(welder: wi, guardian: gi, zone: z, rest: rest, welderRoute: wr, guardianRoute: gr, welderEdge: we, guardianEdge: ge))
        }
        // The canteen: the refinery's first.
        guard let pick = w.rng.pick(picks, weight: { w.places[$0.rest].layout.use == "canteen" ? 4 : 1 }) else { return false }
        let z = pick.zone
        let farm = w.places[z]
        let wi = pick.welder, gi = pick.guardian
        let ws = w.people[wi].speed, gs = w.people[gi].speed

        // The guardian's way out, from the work spot to the canteen: back along the farm's path.
        let gSpot = pick.guardianRoute.end, wSpot = pick.welderRoute.end
        let restSpot = w.spot(in: pick.rest)
        let out = MovePath([gSpot, farm.layout.point] + farm.path.points.reversed() + w.places[pick.rest].path.points + [restSpot])
        guard let exitArc = w.firstArc(out, from: 0, where: { !farm.zone.shape.contains($0) }) else { return false }
        let leaves = moment.adding(seconds: -(grace + (exitArc / gs).rounded() + 2))
        let enter = leaves.adding(seconds: -Self.together)
        let wDepart = enter.adding(seconds: -(pick.welderEdge / ws).rounded())
        let gDepart = enter.adding(seconds: -(pick.guardianEdge / gs).rounded() - 3)
        guard wDepart > w.now.adding(seconds: 5), gDepart > w.now.adding(seconds: 5) else { return false }

        let welderOut = MovePath([wSpot, farm.layout.point] + farm.path.points.reversed())
        let welderLeaves = moment.adding(seconds: Self.aloneAfter)
        let welderExit = welderLeaves.adding(seconds: ((w.firstArc(welderOut, from: 0, where: { !farm.zone.shape.contains($0) }) ?? 60) / ws).rounded())
        let permit = w.permitID()
        let enterprise = farm.enterprise ?? ""
        let request: Value = [
            "op": "permit.create", "id": .string(permit), "kind": "hot-work", "zone": .string(farm.id),
            "workers": [.string(w.people[wi].id)], "guardians": [.string(w.people[gi].id)],
            "window": ["from": .time(enter.adding(seconds: -60)), "until": .time(enter.adding(seconds: 4 * 3600))],
            "by": .string("\(enterprise) safety office"),
            "description": "weld repair on a tank inlet line",
        ]
        w.schedule(SimulatedMessage(time: enter.adding(seconds: -45), payload: .control(request)), cancelOnMuster: true)
        w.schedule(SimulatedMessage(time: welderExit.adding(seconds: 20),
                                    payload: .control(["op": "permit.close", "id": .string(permit), "by": .string("\(enterprise) safety office")])),
                   cancelOnMuster: true)

        // The welder: in, work, alone, out to the hub.
        var wSteps: [Activity] = [.stay(until: wDepart, spot: w.people[wi].position, radius: 1.5)]
        wSteps += w.walk(w.people[wi], along: pick.welderRoute.points, to: z)
        wSteps += [.stay(until: welderLeaves, spot: wSpot, radius: 2), .move(welderOut), .release]
        // The guardian: in, watch, off to the canteen, a meal.
        var gSteps: [Activity] = [.stay(until: gDepart, spot: w.people[gi].position, radius: 1.5)]
        gSteps += w.walk(w.people[gi], along: pick.guardianRoute.points, to: z)
        gSteps += [.stay(until: leaves, spot: gSpot, radius: 1.5), .move(out),
                   .stay(until: moment.adding(seconds: out.length / gs + 400), spot: restSpot, radius: w.wanderRadius(in: pick.rest)),
                   .release]
        for (i, steps) in [(wi, wSteps), (gi, gSteps)] {
            w.anchorIfSafe(i)
            w.people[i].busy = true
            w.people[i].plan = steps
        }
        w.setDestination(wi, nil)
        w.people[wi].node = .hub
        w.setDestination(gi, pick.rest)
        w.people[gi].node = .place(pick.rest)

        let wl = w.people[wi].label, gl = w.people[gi].label
        w.note(at: enter, kind: "hot-work permit",
               "permit \(permit) (hot-work, \(farm.layout.name) [\(farm.id)]): welder \(wl) starts work with guardian \(gl)")
        w.note(at: moment, kind: name,
               "guardian \(gl) walked off to the \(w.places[pick.rest].layout.name) a minute ago: welder \(wl) is alone in \(farm.layout.name); stops and walks out in \(Int(Self.aloneAfter)) s, permit \(permit) closed after")
        return true
    }
}
