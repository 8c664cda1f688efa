import CordonCore
import Geometry

/// A muster (应急点名) as the park's people live it: when one starts, everyone on site by the
/// gate record leaves what they are doing and walks briskly to their assembly point — their
/// enterprise's (`muster` in the layout), or the nearest for the park's own staff — by a way
/// that crosses nothing they may not enter: back along the corners they walked since they last
/// stood somewhere safe, to their hub, and on by the layout's muster path. There they stand
/// until it ends, then walk back to work.
///
/// The control-room crew on duty stay at their posts (a plant is not left unattended in a
/// drill); their shift supervisor vouches for them by hand (`muster.mark`), as a gate guard
/// does for anyone who left through the gate in the seconds before.
extension SimulationWorld {
    /// Who vouches for the control-room crew.
    static let supervisor = "shift supervisor"

    /// Everyone on site sets off to a muster point. Returns the `muster.mark` requests to send
    /// a little later.
    func evacuate() -> [Value] {
        musterBegins()
        var marks: [Value] = []
        var walks: [Walk] = []
        var spots: [Int: (spot: LocalPoint, back: [LocalPoint])] = [:]
        for i in people.indices where people[i].registered && !people[i].gone {
            let p = people[i]
            guard p.onSite else { continue }
            if !p.inside {
                // Out through the gate already, still in reach of the positioning system.
                if site.boundary.contains(p.position), !p.gate.isEmpty {
                    marks.append(["op": "muster.mark", "person": .string(p.id), "by": .string("gate guard \(p.gate)"),
                                  "note": .string("left through \(p.gate) just before the muster began")])
                }
                continue
            }
            if p.onDuty {
                marks.append(["op": "muster.mark", "person": .string(p.id), "by": .string(Self.supervisor),
                              "note": "at post in the central control room"])
                continue
            }
            guard let (point, toPoint) = musterWay(p) else { continue }
            // By their hub to their enterprise's point; or straight to the nearest point, when
            // nothing lies in between (someone walking in from a gate, an office next to one).
            let d = rng.inDisc(radius: point.clearance * 0.45)
            let spot = LocalPoint(x: point.point.x + d.dx, y: point.point.y + d.dy)
            let toHub = wayToHub(p)
            var route = shortcut(toHub + toPoint + [spot])
            var back = [spot] + toPoint.reversed()
            var length = MovePath(route).length
            let here = Set(site.zones.filter { $0.shape.bounds.contains(p.position) && $0.shape.contains(p.position) }.map(\.index))
            let day = day(at: now)
            for m in layout.muster {
                let e = rng.inDisc(radius: m.clearance * 0.45)
                let s = LocalPoint(x: m.point.x + e.dx, y: m.point.y + e.dy)
                let straight = p.position.distance(to: s)
                guard straight < length, isWide(from: p.position, to: s, except: here),
                      !entersClosed([p.position, s], for: p, on: day) else { continue }
                route = [p.position, s]
                back = [s, p.position] + toHub
                length = straight
            }
            spots[i] = (route[route.count - 1], back)
            walks.append(Walk(person: i, route: MovePath(route), speed: evacuationSpeed(p), level: p.level))
        }
        let delays = stagger(walks, maxDelay: 240)
        for (w, delay) in zip(walks, delays) {
            let i = w.person
            guard let (spot, back) = spots[i] else { continue }
            var steps = walk(people[i], along: w.route.points, to: nil)
            if people[i].level != 0, !steps.contains(where: { if case .level = $0 { return true } else { return false } }) {
                steps.insert(.level(0), at: 0)
            }
            // Securing their work first when the way out is busy.
            if delay > 0 { steps.insert(.stay(until: now.adding(seconds: delay), spot: people[i].position, radius: 0.5), at: 0) }
            people[i].plan = steps + [.stay(until: now.adding(seconds: 86_400), spot: spot, radius: 1.2)]
            people[i].busy = true
            people[i].mutedUntil = nil
            people[i].stillUntil = nil
            people[i].musterReturn = back
            setDestination(i, nil)
            people[i].node = .hub
        }
        return marks
    }

    /// The muster is over: everyone at a muster point walks back to their hub and on to a
    /// place of theirs, a few at a time where the way is narrow.
    func returnFromMuster() {
        musterEnds()
        var walks: [Walk] = []
        var targets: [Int: (place: Int, spot: LocalPoint)] = [:]
        for i in people.indices {
            guard let back = people[i].musterReturn else { continue }
            people[i].musterReturn = nil
            var route = [people[i].position] + back
            if let target = PersonRoutine.choosePlace(i, in: self) {
                let spot = self.spot(in: target)
                route += places[target].path.points + [spot]
                targets[i] = (target, spot)
                setDestination(i, target)
            }
            walks.append(Walk(person: i, route: MovePath(shortcut(route)), speed: people[i].speed, level: 0))
        }
        let delays = stagger(walks, maxDelay: 600)
        for (w, delay) in zip(walks, delays) {
            let i = w.person
            var steps: [Activity] = []
            if delay > 0 { steps.append(.stay(until: now.adding(seconds: delay), spot: people[i].position, radius: 1.2)) }
            if let (target, spot) = targets[i] {
                steps += walk(people[i], along: w.route.points, to: target)
                let walkTime = w.route.length / w.speed
                steps.append(.stay(until: now.adding(seconds: (delay + walkTime + PersonRoutine.dwell(places[target].layout.use, in: self)).rounded()),
                                   spot: spot, radius: wanderRadius(in: target)))
                people[i].node = .place(target)
            } else {
                steps += walk(people[i], along: w.route.points, to: nil)
            }
            people[i].plan = steps + [.release]
            people[i].busy = true
        }
    }

    /// A walk that starts now, to be timed by ``stagger(_:maxDelay:)``.
    struct Walk {
        var person: Int
        var route: MovePath
        var speed: Double
        /// The floor they start on: zones of another floor do not count them.
        var level: Int
    }

    /// Seconds each walk waits before setting off (multiples of 5, farthest walks first), so
    /// that no zone with a head-count limit gets more people than it allows at once — nor a
    /// zone that watches for crowds as many as make one — from walks that would all take the
    /// same paths at once. Who already stands in a zone, and is not walking, counts throughout.
    func stagger(_ walks: [Walk], maxDelay: Double) -> [Double] {
        guard walks.count <= 3000 else { return walks.map { _ in 0 } }
        let limited = site.zones.filter { $0.maxPeople != nil || $0.crowding != nil }
        let walking = Set(walks.map(\.person))
        var budget: [Int: Int] = [:]
        for z in limited {
            let cap = min(z.maxPeople.map { $0 - 2 } ?? Int.max, z.crowding.map { $0.minPeople - 1 } ?? Int.max)
            let standing = people.indices.filter { i in
                let p = people[i]
                return !walking.contains(i) && p.onSite && p.registered && (z.level ?? p.level) == p.level
                    && z.shape.bounds.contains(p.position) && z.shape.contains(p.position)
            }.count
            budget[z.index] = cap - standing
        }
        // Each walk's stretches inside each limited zone, in seconds from setting off.
        func stretches(_ w: Walk) -> [(zone: Int, from: Double, to: Double)] {
            var out: [(zone: Int, from: Double, to: Double)] = []
            let length = w.route.length
            let zones = limited.filter { ($0.level ?? w.level) == w.level }
            var open: [Int: Double] = [:]
            var s = 0.0
            while true {
                let q = w.route.point(at: s)
                for z in zones {
                    let inside = z.shape.bounds.contains(q) && z.shape.contains(q)
                    if inside, open[z.index] == nil { open[z.index] = s }
                    if !inside, let a = open[z.index] {
                        // A few seconds' slack either way: walks do not keep to the second.
                        out.append((z.index, a == 0 ? 0 : max(0.001, a / w.speed - 4), s / w.speed + 4))
                        open[z.index] = nil
                    }
                }
                if s >= length { break }
                s = min(length, s + 2)
            }
            for (z, a) in open { out.append((z, a / w.speed, Double.infinity)) }
            return out
        }
        var reserved: [Int: [(Double, Double)]] = [:]
        // Those who start inside a zone hold their place in it until they are out, however
        // long they wait: counted from the start, for the longest wait, until their own is known.
        let allParts = walks.map(stretches)
        for parts in allParts {
            for part in parts where part.from == 0 {
                reserved[part.zone, default: []].append((0, maxDelay + part.to))
            }
        }
        func busiest(_ zone: Int, _ a: Double, _ b: Double) -> Int {
            let list = reserved[zone] ?? []
            let times = [a] + list.map(\.0).filter { $0 > a && $0 < b }
            return times.map { t in list.filter { $0.0 <= t && t < $0.1 }.count }.max() ?? 0
        }
        var delays = Array(repeating: 0.0, count: walks.count)
        let order = walks.indices.sorted { (walks[$0].route.length, $0) > (walks[$1].route.length, $1) }
        for k in order {
            let parts = allParts[k]
            for part in parts where part.from == 0 {
                if let at = reserved[part.zone]?.firstIndex(where: { $0 == (0, maxDelay + part.to) }) { reserved[part.zone]?.remove(at: at) }
            }
            var delay = 0.0
            while delay < maxDelay {
                let fits = parts.allSatisfy { part in
                    part.from == 0 || busiest(part.zone, delay + part.from, delay + part.to) + 1 <= (budget[part.zone] ?? Int.max)
                }
                if fits { break }
                delay += 5
            }
            delays[k] = delay
            for part in parts {
                reserved[part.zone, default: []].append((part.from == 0 ? 0 : delay + part.from, delay + part.to))
            }
        }
        return delays
    }

    /// A way from where someone is to their hub that enters nothing closed to them: back the
    /// way they came (to where they last stood safely, and that place's path); or, when that
    /// way leads through a zone they may not be in (a stray into a tank farm on the way back),
    /// on to the end of the walk they are on and from there; or straight.
    func wayToHub(_ p: SimulatedPerson) -> [LocalPoint] {
        let day = day(at: now)
        var candidates: [[LocalPoint]] = []
        if !p.anchorRoute.isEmpty { candidates.append([p.position] + p.trail.reversed() + p.anchorRoute) }
        if case .move(let path)? = p.plan.first {
            var ahead = [p.position] + path.points.dropFirst(path.segment + 1)
            for step in p.plan.dropFirst() {
                if case .move(let next) = step { ahead += next.points } else if case .level = step { continue } else { break }
            }
            if let end = ahead.last {
                switch p.node {
                case .place(let k) where places[k].zone.shape.contains(end):
                    candidates.append(ahead + [places[k].layout.point] + places[k].path.points.reversed())
                case .hub:
                    candidates.append(ahead + [hub(of: p)])
                default:
                    break
                }
            }
        }
        candidates.append(routeToHub(p))
        // Out of the place they stand in by its own path (a tank farm they work in on a permit).
        for k in places.indices where places[k].enterprise == p.enterprise && (places[k].layout.level ?? p.level) == p.level {
            let z = places[k].zone.shape
            guard z.bounds.contains(p.position), z.contains(p.position) else { continue }
            candidates.append([p.position, places[k].layout.point] + places[k].path.points.reversed())
        }
        let safe = candidates.filter { !entersClosed($0, for: p, on: day) }
        return safe.min { MovePath($0).length < MovePath($1).length } ?? candidates[0]
    }

    /// The same walk with corners cut wherever the straight line between two of its points
    /// crosses no zone that matters to a walker (access rules or a head-count limit; see
    /// ``isClear(from:to:except:)``) other than those the two points are in.
    func shortcut(_ route: [LocalPoint]) -> [LocalPoint] {
        guard route.count > 2 else { return route }
        func zones(at q: LocalPoint) -> Set<Int> {
            Set(site.zones.filter { $0.shape.bounds.contains(q) && $0.shape.contains(q) }.map(\.index))
        }
        let inside = route.map(zones)
        var out = [route[0]]
        var i = 0
        while i < route.count - 1 {
            var j = route.count - 1
            while j > i + 1 && !isWide(from: route[i], to: route[j], except: inside[i].union(inside[j])) { j -= 1 }
            out.append(route[j])
            i = j
        }
        return out
    }

    /// True when the straight line from `a` to `b` keeps 3 m from every zone that matters to a
    /// walker (access rules, a head-count limit, a crowd watch, two-person work), apart from
    /// `except`: a short cut that positioning noise cannot make seem to touch one.
    func isWide(from a: LocalPoint, to b: LocalPoint, except: Set<Int>) -> Bool {
        let margin = 3.0
        let box = Bounds(covering: [a, b])
        let relevant = site.zones.filter { z in
            guard !except.contains(z.index) else { return false }
            guard z.access != .open || z.maxPeople != nil || z.twoPerson || z.crowding != nil else { return false }
            let zb = z.shape.bounds
            return zb.minX <= box.maxX + margin && zb.maxX >= box.minX - margin && zb.minY <= box.maxY + margin && zb.maxY >= box.minY - margin
        }
        guard !relevant.isEmpty else { return true }
        if relevant.contains(where: { $0.shape.intersects(segmentFrom: a, to: b) }) { return false }
        let n = Int(a.distance(to: b) / 2) + 1
        for k in 0...n {
            let f = Double(k) / Double(n)
            let q = LocalPoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
            if relevant.contains(where: { $0.shape.isWithinDistance(q, margin) }) { return false }
        }
        return true
    }

    /// True when a walk enters a zone whose access rules keep the person out (the zones they
    /// stand in at the start do not count: they are walking out of them).
    func entersClosed(_ route: [LocalPoint], for p: SimulatedPerson, on day: String) -> Bool {
        let path = MovePath(route)
        let start = path.start
        let closed = site.zones.filter { z in
            guard (z.level ?? p.level) == p.level || z.level == nil else { return false }
            guard !(z.shape.bounds.contains(start) && z.shape.contains(start)) else { return false }
            switch z.access {
            case .open: return false
            case .forbidden: return true
            case .permit: return !(z.roles.contains(p.role) || z.requires.contains { p.holds($0, on: day) })
            }
        }
        guard !closed.isEmpty else { return false }
        var s = 0.0
        let length = path.length
        while s <= length {
            let q = path.point(at: s)
            if closed.contains(where: { $0.shape.bounds.contains(q) && $0.shape.contains(q) }) { return true }
            s += 2
        }
        return false
    }

    /// The assembly point for someone, and the way there from their hub.
    func musterWay(_ p: SimulatedPerson) -> (SiteLayout.Area, [LocalPoint])? {
        let hub = hub(of: p)
        if let e = p.enterprise, let ent = layout.enterprise(e), let point = layout.muster.first(where: { $0.id == ent.muster }) {
            return (point, ent.musterPath)
        }
        // The park's people: the nearest point they can walk to straight from their gate.
        let sorted = layout.muster.sorted { hub.distance(to: $0.point) < hub.distance(to: $1.point) }
        guard let point = sorted.first(where: { isClear(from: hub, to: $0.point, except: []) }) ?? sorted.first else { return nil }
        return (point, [hub])
    }
}
