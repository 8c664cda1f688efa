import CordonCore
import Geometry

/// Everyday life of the park's people: arrive by their gate, walk to a place of their
/// enterprise that suits their role, stay a while, walk on; now and then go home for a while.
///
/// Nobody is sent where the rules would not let them be: everyday traffic raises no alarm of
/// its own, so every alarm the demo shows comes from an incident someone scripted.
enum PersonRoutine {
    /// Chance, each time someone moves on, that they leave the site for a while instead.
    static let leaveChance = 0.04

    /// Fills the plan of someone who has nothing to do.
    static func plan(_ i: Int, in w: SimulationWorld) {
        let p = w.people[i]
        guard p.registered else { return }
        // Setting off from the place they stood in: the way back starts here.
        w.anchorIfSafe(i)
        if p.onDuty {
            planDuty(i, in: w)
            return
        }
        switch p.node {
        case .outside:
            // Nobody comes in while a muster runs: the gate holds them.
            if w.mustering != nil {
                w.people[i].plan = [.away(until: w.now.adding(seconds: 30))]
                return
            }
            arrive(i, in: w)
        case .hub, .place:
            if w.rng.chance(leaveChance) {
                leave(i, in: w)
            } else {
                moveOn(i, in: w)
            }
        }
    }

    /// Through the gate and on to a first place.
    static func arrive(_ i: Int, in w: SimulationWorld) {
        guard let gate = w.layout.gate(w.people[i].gate) else { return }
        w.people[i].position = gate.inside
        w.people[i].node = .hub
        w.people[i].level = 0
        let toHub = w.routeGateToHub(w.people[i])
        let count = w.people[i].entryCount
        w.people[i].entryCount = 1
        guard let target = choosePlace(i, in: w) else {
            w.people[i].plan = [.pass(gate: gate.id, direction: .in, count: count), .move(MovePath(toHub))]
            return
        }
        var steps: [Activity] = [.pass(gate: gate.id, direction: .in, count: count)]
        let spot = w.spot(in: target)
        steps += w.walk(w.people[i], along: toHub + w.places[target].path.points + [spot], to: target)
        let walkTime = (MovePath(toHub).length + w.places[target].path.length) / w.people[i].speed
        steps.append(.stay(until: w.now.adding(seconds: (walkTime + dwell(w.places[target].layout.use, in: w)).rounded()),
                           spot: spot, radius: w.wanderRadius(in: target)))
        w.people[i].plan = steps
        w.setDestination(i, target)
        w.people[i].node = .place(target)
    }

    /// To the gate, out, and away for a while.
    static func leave(_ i: Int, in w: SimulationWorld) {
        guard let gate = w.layout.gate(w.people[i].gate) else { return }
        let toGate = w.routeToHub(w.people[i]) + w.routeGateToHub(w.people[i]).reversed()
        let walkTime = MovePath(toGate).length / w.people[i].speed
        var steps = w.walk(w.people[i], along: toGate, to: nil)
        steps.append(.pass(gate: gate.id, direction: .out))
        if let out = w.outside(gate.id) { steps.append(.move(MovePath([gate.inside, out]))) }
        steps.append(.away(until: w.now.adding(seconds: (walkTime + w.rng.uniform(900...2700)).rounded())))
        w.people[i].plan = steps
        w.setDestination(i, nil)
    }

    /// From wherever they are to the next place (or a new spot in the same one).
    static func moveOn(_ i: Int, in w: SimulationWorld) {
        guard let target = choosePlace(i, in: w) else {
            // Nowhere suits (every place full): stay where they are a little longer.
            let here = w.people[i].position
            w.people[i].plan = [.stay(until: w.now.adding(seconds: 120), spot: here, radius: 2)]
            return
        }
        let spot = w.spot(in: target)
        let route = w.route(w.people[i], to: target, spot: spot)
        var steps = w.walk(w.people[i], along: route, to: target)
        let walkTime = MovePath(route).length / w.people[i].speed
        steps.append(.stay(until: w.now.adding(seconds: (walkTime + dwell(w.places[target].layout.use, in: w)).rounded()),
                           spot: spot, radius: w.wanderRadius(in: target)))
        w.people[i].plan = steps
        w.setDestination(i, target)
        w.people[i].node = .place(target)
    }

    /// Control-room operators on duty stay in the control room, at one desk and then another.
    static func planDuty(_ i: Int, in w: SimulationWorld) {
        guard let ccr = w.place("Z-E01-CCR") else { return }
        let spot = w.spot(in: ccr)
        let route = w.route(w.people[i], to: ccr, spot: spot)
        var steps = w.walk(w.people[i], along: route, to: ccr)
        steps.append(.stay(until: w.now.adding(seconds: w.rng.uniform(600...1800).rounded()), spot: spot, radius: 2))
        w.people[i].plan = steps
        w.setDestination(i, ccr)
        w.people[i].node = .place(ccr)
    }

    /// A place of their enterprise (or the park's, for park staff) that suits their role, that
    /// they may enter, whose way in crosses nothing closed to them, and that has room.
    static func choosePlace(_ i: Int, in w: SimulationWorld) -> Int? {
        let person = w.people[i]
        let day = w.day(at: w.now)
        let candidates = w.places.indices.filter { k in
            let pl = w.places[k]
            guard pl.enterprise == person.enterprise, pl.layout.use != "control-room" else { return false }
            // Two-person zones (tank farms) see work only in pairs, with a permit: incidents' business.
            guard !pl.zone.twoPerson, pl.zone.access != .forbidden, w.admits(person, k, on: day) else { return false }
            for crossed in pl.layout.pathCrosses {
                guard let c = w.place(crossed), !w.places[c].zone.twoPerson, w.admits(person, c, on: day) else { return false }
            }
            return w.hasRoom(k) || person.destination == k
        }
        return w.rng.pick(candidates) { weight(role: person.role, use: w.places[$0].layout.use) }
            ?? candidates.first { w.places[$0].layout.use == "office" }
    }

    /// How much a role is drawn to a kind of place.
    static func weight(role: String, use: String) -> Double {
        switch (use, role) {
        case ("office", "clerk"), ("office", "analyst"): return 6
        case ("office", "safety"): return 3
        case ("office", "engineer"): return 2
        case ("office", "firefighter"): return 0.5
        case ("office", _): return 0.7
        case ("canteen", _): return 1
        case ("control-building", "engineer"): return 3
        case ("control-building", "safety"): return 1
        case ("control-building", _): return 0
        case ("warehouse", "maintenance"): return 4
        case ("warehouse", "scaffolder"): return 3
        case ("warehouse", "welder"), ("warehouse", "insulator"): return 2
        case ("warehouse", "clerk"), ("warehouse", "safety"): return 0.5
        case ("warehouse", _): return 1
        case ("loading-bay", "tank-operator"): return 4
        case ("loading-bay", "operator"): return 2
        case ("loading-bay", "clerk"), ("loading-bay", "analyst"): return 0.2
        case ("loading-bay", _): return 1
        case ("process-unit", "operator"): return 6
        case ("process-unit", "engineer"): return 4
        case ("process-unit", _): return 1
        case ("fire-station", "firefighter"): return 10
        case ("substation", "electrician"): return 8
        case ("wastewater", "operator"): return 6
        case ("wastewater", _): return 1
        default: return 0.3
        }
    }

    /// How long someone stays at a kind of place, seconds.
    static func dwell(_ use: String, in w: SimulationWorld) -> Double {
        switch use {
        case "canteen": return w.rng.uniform(300...720)
        case "warehouse": return w.rng.uniform(180...600)
        case "loading-bay": return w.rng.uniform(240...720)
        default: return w.rng.uniform(300...900)
        }
    }
}
