import CordonCore
import Geometry

extension SimulationWorld {
    /// One second of a person's life: do the plan's next steps, then report a position if on site.
    func advancePerson(_ i: Int) {
        guard !people[i].gone else { return }
        let t = now.adding(milliseconds: people[i].phase)
        // Steps that take no time are done at once; a bounded number, in case a plan loops.
        for _ in 0..<16 {
            if people[i].plan.isEmpty {
                if !people[i].busy { PersonRoutine.plan(i, in: self) }
                if people[i].plan.isEmpty {
                    // Nothing to do: stand about where they are.
                    if people[i].onSite { wander(i, around: people[i].position, radius: 1) }
                    break
                }
            }
            let step = people[i].plan[0]
            switch step {
            case .pass(let gate, let direction, let count):
                people[i].plan.removeFirst()
                // Going out, the tag still reports as they walk off; `.away` ends that.
                if direction == .in {
                    people[i].onSite = true
                    people[i].inside = true
                    // Where they are heading was settled when the arrival was planned.
                    if let g = layout.gate(gate) { people[i].position = g.inside }
                    // Just inside the gate: a safe way to their hub is the park's path.
                    people[i].trail = []
                    people[i].anchorRoute = routeGateToHub(people[i])
                } else {
                    people[i].inside = false
                    people[i].node = .outside
                    setDestination(i, nil)
                }
                say(gateMessage(people[i], gate: gate, direction: direction, at: t, count: count), at: t, order: i)
                continue
            case .alert(let kind):
                people[i].plan.removeFirst()
                say(["type": "alert", "tag": .string(people[i].tag), "t": .int(t.milliseconds), "alert": .string(kind.rawValue)],
                    at: t, order: i)
                continue
            case .level(let l):
                people[i].plan.removeFirst()
                people[i].level = l
                continue
            case .mute(let until):
                people[i].plan.removeFirst()
                people[i].mutedUntil = until
                continue
            case .release:
                people[i].plan.removeFirst()
                people[i].busy = false
                anchorIfSafe(i)
                continue
            case .vanish:
                people[i].plan.removeAll()
                people[i].gone = true
                people[i].onSite = false
                setDestination(i, nil)
                return
            case .away(let until):
                people[i].onSite = false
                if now >= until {
                    people[i].plan.removeFirst()
                    continue
                }
                return
            case .move(var path):
                // A walk planned a while ago starts where they stood then; they set off from
                // where they stand now (a step or two away, after shuffling about).
                if path.segment == 0, path.offset == 0, people[i].position.distance(to: path.start) > 0.05 {
                    path = MovePath([people[i].position] + path.points)
                }
                if path.segment == 0, path.offset == 0 { remember(i, path.start) }
                let before = path.segment
                path.advance(mustering != nil && people[i].musterReturn != nil ? evacuationSpeed(people[i]) : people[i].speed)
                if path.segment > before {
                    for k in (before + 1)...min(path.segment, path.points.count - 1) { remember(i, path.points[k]) }
                }
                people[i].position = path.position
                people[i].moving = true
                people[i].wanderTarget = nil
                people[i].stillUntil = nil
                if path.isFinished { people[i].plan.removeFirst() } else { people[i].plan[0] = .move(path) }
            case .stay(let until, let spot, let radius):
                if now >= until {
                    people[i].plan.removeFirst()
                    continue
                }
                anchorIfSafe(i)
                wander(i, around: spot, radius: radius)
            case .motionless(let until):
                if now >= until {
                    people[i].plan.removeFirst()
                    continue
                }
                people[i].moving = false
            }
            break
        }
        guard people[i].onSite else { return }
        // Everyday drain stops at 15 % (tags are charged every shift); a low-battery incident
        // sets a lower level by hand, and it stays there.
        if people[i].battery > 15 { people[i].battery = max(15, people[i].battery - people[i].drainPerSecond) }
        if let muted = people[i].mutedUntil {
            if now < muted { return }
            people[i].mutedUntil = nil
        }
        // Nothing is said during the warm-up: do not even build it.
        if t >= start {
            let m = positionMessage(people[i], at: t)
            say(positioning.map { $0.degrade(m, truth: people[i].position, at: t) } ?? m, at: t, order: i)
        }
    }

    /// A corner of a walk, kept so that the way back is known.
    private func remember(_ i: Int, _ p: LocalPoint) {
        if let last = people[i].trail.last, last.distance(to: p) < 0.5 { return }
        people[i].trail.append(p)
    }

    /// Staying inside the place they are counted at: from here the way to their hub is that
    /// place's path, and the trail starts over.
    func anchorIfSafe(_ i: Int) {
        guard !people[i].trail.isEmpty || people[i].anchorRoute.isEmpty else { return }
        switch people[i].node {
        case .place(let k):
            let here = people[i].position
            guard places[k].zone.shape.bounds.contains(here), places[k].zone.shape.contains(here) else { return }
            people[i].trail = []
            people[i].anchorRoute = [here, places[k].layout.point] + places[k].path.points.reversed()
        case .hub:
            let hub = hub(of: people[i])
            guard people[i].position.distance(to: hub) < 6 else { return }
            people[i].trail = []
            people[i].anchorRoute = [people[i].position, hub]
        case .outside:
            return
        }
    }

    /// Shuffling about at a spot: a few steps to a nearby point, now and then standing still
    /// for a while (never long enough to look like someone who has collapsed).
    private func wander(_ i: Int, around spot: LocalPoint, radius: Double) {
        if let still = people[i].stillUntil, now < still {
            people[i].moving = false
            return
        }
        people[i].stillUntil = nil
        let target: LocalPoint
        if let w = people[i].wanderTarget {
            target = w
        } else {
            let d = rng.inDisc(radius: radius)
            target = LocalPoint(x: spot.x + d.dx, y: spot.y + d.dy)
            people[i].wanderTarget = target
        }
        let here = people[i].position
        let dist = here.distance(to: target)
        let stride = rng.uniform(0.3...0.7)
        if dist <= stride {
            people[i].position = target
            people[i].wanderTarget = nil
            if rng.chance(0.4) { people[i].stillUntil = now.adding(seconds: rng.uniform(5...40).rounded()) }
        } else {
            let f = stride / dist
            people[i].position = LocalPoint(x: here.x + (target.x - here.x) * f, y: here.y + (target.y - here.y) * f)
        }
        people[i].moving = true
    }

    /// One second of a vehicle: drive, stand or pass a gate; a GNSS fix every few seconds.
    func advanceVehicle(_ i: Int) {
        let t = now.adding(milliseconds: vehicles[i].phase)
        // A fix is due now, whatever the interval: a gate passage, or the end of a drive.
        var passed = false
        for _ in 0..<16 {
            if vehicles[i].plan.isEmpty {
                if !vehicles[i].busy { VehicleRoutine.plan(i, in: self) }
                if vehicles[i].plan.isEmpty { break }
            }
            let step = vehicles[i].plan[0]
            switch step {
            case .pass(let gate, let direction, _):
                vehicles[i].plan.removeFirst()
                if direction == .in { vehicles[i].onSite = true }
                if direction == .in, let g = layout.gate(gate) {
                    vehicles[i].position = g.inside
                    vehicles[i].speed = 0
                    vehicles[i].sinceFix = vehicles[i].fixInterval
                }
                say(gateMessage(vehicles[i], gate: gate, direction: direction, at: t), at: t, order: 100_000 + i)
                passed = true
                continue
            case .release:
                vehicles[i].plan.removeFirst()
                vehicles[i].busy = false
                continue
            case .level, .alert, .vanish, .mute:
                vehicles[i].plan.removeFirst()
                continue
            case .away(let until):
                vehicles[i].onSite = false
                if now >= until {
                    vehicles[i].plan.removeFirst()
                    continue
                }
                return
            case .move(var path):
                drive(&vehicles[i], along: &path)
                if path.isFinished {
                    vehicles[i].plan.removeFirst()
                    vehicles[i].speed = 0
                    // Terminals report when the vehicle stops, not only on their interval.
                    passed = true
                } else {
                    vehicles[i].plan[0] = .move(path)
                }
            case .stay(let until, _, _), .motionless(let until):
                if now >= until {
                    vehicles[i].plan.removeFirst()
                    continue
                }
                vehicles[i].speed = 0
            }
            break
        }
        guard vehicles[i].onSite else { return }
        vehicles[i].sinceFix += 1
        // A fix right after a gate passage or a stop, and one per interval.
        if passed || vehicles[i].sinceFix >= vehicles[i].fixInterval {
            vehicles[i].sinceFix = 0
            let ft = passed ? t.adding(milliseconds: 1) : t
            if ft >= start { say(fixMessage(vehicles[i], at: ft), at: ft, order: 100_000 + i) }
        }
    }

    /// A second of driving: up to the segment's cap or the cruise speed, slowing for sharp
    /// corners and for the end of the path, speeding up and braking gently.
    private func drive(_ v: inout SimulatedVehicle, along path: inout MovePath) {
        let accel = 1.2, brake = 1.5
        var cap = path.currentSpeedCap ?? v.cruise
        if let b = v.boost {
            if now < b.until { cap = path.currentSpeedCap ?? b.speed } else { v.boost = nil }
        }
        let corner = path.nextCorner
        if corner.turnDegrees > 25 { cap = min(cap, (3.5 * 3.5 + 2 * brake * corner.distance).squareRoot()) }
        cap = min(cap, (2 * brake * path.remaining).squareRoot() + 0.5)
        v.speed = v.speed < cap ? min(cap, v.speed + accel) : max(cap, v.speed - brake * 2)
        v.speed = max(v.speed, 1)
        path.advance(v.speed)
        v.position = path.position
        if !path.isFinished { v.heading = path.heading }
    }
}
