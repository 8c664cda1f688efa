import CordonCore
import Geometry

/// Everything the traffic simulator knows and changes: the site, the people and vehicles, the
/// simulated clock, the one random source, and what has been said so far.
///
/// Routines and incidents work on it through the helpers here (where is someone allowed, how
/// do they walk from here to there, say this at that time). Single-threaded, like the engine
/// it feeds.
final class SimulationWorld {
    /// A zone someone can be sent to, with the layout's walking path and the site's geometry.
    struct Place {
        let layout: SiteLayout.Zone
        let zone: Zone
        /// From the hub (the enterprise's entrance, or inside gate G1) to the point well inside.
        let path: MovePath
        /// Metres along `path` at which it enters the zone.
        let entry: Double
        /// How many people everyday life sends here at once: well under `max_people`, because
        /// others walk through on their way elsewhere (a fifth of it where a path runs through).
        var capacity: Int?
        /// The RTLS frame positions inside it are reported in.
        let frame: FrameTransform?

        var id: String { layout.id }
        var enterprise: String? { layout.enterprise }
    }

    /// A line for the simulator's log, shown when its time comes.
    struct Note {
        var time: Instant
        /// The incident's name, for counting.
        var kind: String
        var text: String
        /// About people: a muster that starts before its time calls it off.
        var people = true
    }

    let site: Site
    let layout: SiteLayout
    let localFrame: LocalFrame
    /// The first instant of traffic that is said (the warm-up before it is silent).
    let start: Instant
    var rng: SimulationRandom
    /// The whole second being simulated.
    private(set) var now: Instant
    var people: [SimulatedPerson] = []
    var vehicles: [SimulatedVehicle] = []
    let places: [Place]
    /// The roads, for vehicles without a designated route.
    let roads: RoadNetwork
    /// People counted towards each place (see ``SimulatedPerson/destination``).
    private(set) var assigned: [Int]
    /// Places whose positions come in an RTLS frame, with their bounds for a quick test.
    private let framedPlaces: [(bounds: Bounds, place: Int)]
    private var counters: [String: Int] = [:]
    /// Put in front of booking and permit numbers, so that another run against the same
    /// service (whose store remembers) makes new ones: `B<run>-01`. Empty: `B0001`.
    var runID = ""
    /// Reference tags and a degraded zone, when the simulation has them.
    var positioning: PositioningSimulation?
    /// Since when a muster has been running (people walk to the muster points), if one is.
    private(set) var mustering: Instant?
    /// How many musters have begun: incidents staged before one know they were called off.
    private(set) var musterCount = 0

    // What has been said during the current second, and what is due later.
    private var batch: [(message: SimulatedMessage, order: Int)] = []
    private var later: [(message: SimulatedMessage, cancelOnMuster: Bool)] = []
    private(set) var notes: [Note] = []

    init(site: Site, layout: SiteLayout, start: Instant, warmup: Double, seed: UInt64) throws(TrafficSimulator.Failure) {
        self.site = site
        self.layout = layout
        self.localFrame = LocalFrame(origin: layout.origin)
        self.start = start
        self.now = start.adding(seconds: -warmup.rounded())
        self.rng = SimulationRandom(seed: seed)
        var places: [Place] = []
        for z in layout.zones {
            guard let zone = site.zone(z.id) else {
                throw .init(description: "the layout's zone \(z.id) is not in site \(site.id): are the site file and the layout from the same generator run?")
            }
            let path = MovePath(z.path)
            var entry = path.length
            var s = 0.0
            while s < path.length {
                if zone.shape.contains(path.point(at: s)) { entry = s; break }
                s += 0.5
            }
            let frame = z.frame.flatMap { site.frames[$0] }
            places.append(Place(
                layout: z, zone: zone, path: path, entry: entry,
                capacity: z.maxPeople.map { max(1, Int(Double($0) * 0.4)) }, frame: frame))
        }
        // A place that other places' paths (or the park's) run through gets fewer people to stay.
        let paths = places.map(\.path) + layout.paths.sorted { $0.key < $1.key }.map { MovePath($0.value) }
        for k in places.indices {
            guard let max = places[k].layout.maxPeople else { continue }
            let shape = places[k].zone.shape
            let crossed = paths.enumerated().contains { m, path in
                guard m != k else { return false }
                return stride(from: 0.0, through: path.length, by: 2).contains { s in
                    let p = path.point(at: s)
                    return shape.bounds.contains(p) && shape.contains(p)
                }
            }
            if crossed { places[k].capacity = Swift.max(1, max / 5) }
        }
        // Where the site watches for crowds, fewer stay than would make one by chance.
        for k in places.indices {
            guard let rule = places[k].zone.crowding else { continue }
            places[k].capacity = Swift.min(places[k].capacity ?? Int.max, Swift.max(1, rule.minPeople - 2))
        }
        self.places = places
        self.roads = RoadNetwork(roads: layout.roads)
        self.assigned = Array(repeating: 0, count: places.count)
        self.framedPlaces = places.indices.compactMap { i in
            places[i].frame == nil ? nil : (places[i].zone.shape.bounds, i)
        }
    }

    // MARK: - Looking things up

    func place(_ id: String) -> Int? { places.firstIndex { $0.id == id } }

    /// Today in UTC as `YYYY-MM-DD`, for qualification dates (which are months from any edge).
    func day(at t: Instant) -> String { String(RFC3339.format(t).prefix(10)) }

    /// The date `days` from the start, `YYYY-MM-DD`.
    func date(daysFromStart days: Int) -> String { day(at: start.adding(seconds: Double(days) * 86_400)) }

    /// True when the zone's `access` admits the person on `day`: what the core's restricted-zone rule
    /// decides, without work permits (the simulator issues none).
    func admits(_ p: SimulatedPerson, _ placeIndex: Int, on day: String) -> Bool {
        let z = places[placeIndex].layout
        switch z.access {
        case "open": return true
        case "permit":
            return z.roles.contains(p.role) || z.requires.contains { p.holds($0, on: day) }
        default: return false
        }
    }

    /// Where a person's walks start and end: their enterprise's entrance, or (park staff)
    /// inside their gate.
    func hub(of p: SimulatedPerson) -> LocalPoint {
        if let e = p.enterprise, let ent = layout.enterprise(e) { return ent.entrance }
        return layout.gate(p.gate)?.inside ?? p.position
    }

    // MARK: - Walking routes

    /// From where the person is to their hub, along the path they came by.
    func routeToHub(_ p: SimulatedPerson) -> [LocalPoint] {
        switch p.node {
        case .place(let i):
            return [p.position, places[i].layout.point] + places[i].path.points.reversed()
        case .hub, .outside:
            return [p.position, hub(of: p)]
        }
    }

    /// From just inside the person's gate to their hub, by the layout's park paths.
    func routeGateToHub(_ p: SimulatedPerson) -> [LocalPoint] {
        guard let gate = layout.gate(p.gate) else { return [p.position, hub(of: p)] }
        let hub = hub(of: p)
        if let e = p.enterprise, let walk = layout.paths["\(p.gate)>\(e)"] {
            return [gate.inside] + walk + [hub]
        }
        return [gate.inside, hub]
    }

    /// The way from where someone is to a spot in `target`: straight there when nothing on the
    /// way asks for care (a zone with access rules or a headcount limit), else back to their
    /// hub and in by the target's path.
    func route(_ p: SimulatedPerson, to target: Int, spot: LocalPoint) -> [LocalPoint] {
        var except: Set<Int> = [places[target].zone.index]
        if case .place(let here) = p.node {
            if here == target { return [p.position, spot] }
            except.insert(places[here].zone.index)
        }
        if isClear(from: p.position, to: spot, except: except) { return [p.position, spot] }
        return routeToHub(p) + places[target].path.points + [spot]
    }

    /// True when the straight line from `a` to `b` crosses no zone that matters to a walker
    /// (apart from `except`): only open zones without a headcount limit on the ground floor.
    func isClear(from a: LocalPoint, to b: LocalPoint, except: Set<Int>) -> Bool {
        let box = Bounds(covering: [a, b])
        let relevant = site.zones.filter { z in
            guard !except.contains(z.index), (z.level ?? 0) == 0 else { return false }
            guard z.access != .open || z.maxPeople != nil || z.twoPerson else { return false }
            let zb = z.shape.bounds
            return zb.minX <= box.maxX && zb.maxX >= box.minX && zb.minY <= box.maxY && zb.maxY >= box.minY
        }
        guard !relevant.isEmpty else { return true }
        let n = Int(a.distance(to: b) / 2) + 1
        for k in 0...n {
            let f = Double(k) / Double(n)
            let q = LocalPoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
            for z in relevant where z.shape.bounds.contains(q) && z.shape.contains(q) { return false }
        }
        return true
    }

    /// A point on the public road `metres` outside a gate: where a tag's last position is
    /// as its wearer (or vehicle) leaves, so the service sees them go.
    func outside(_ gateID: String, metres: Double = 8) -> LocalPoint? {
        guard let g = layout.gate(gateID) else { return nil }
        let dx = g.point.x - g.inside.x, dy = g.point.y - g.inside.y
        let len = max((dx * dx + dy * dy).squareRoot(), 1e-9)
        return LocalPoint(x: g.point.x + dx / len * metres, y: g.point.y + dy / len * metres)
    }

    /// A walk as plan steps, with the change of floor where the walk leaves a building's upper
    /// floor or enters the target's (a zone with a `level`): people take the stairs by the door.
    func walk(_ p: SimulatedPerson, along route: [LocalPoint], to target: Int?) -> [Activity] {
        let path = MovePath(route)
        var cuts: [(at: Double, level: Int)] = []
        if p.level != 0, case .place(let i) = p.node,
           let s = firstArc(path, from: 0, where: { !self.places[i].zone.shape.contains($0) }) {
            cuts.append((s, 0))
        }
        if let t = target, let lvl = places[t].layout.level, lvl != (cuts.isEmpty ? p.level : 0),
           let s = firstArc(path, from: cuts.last?.at ?? 0, where: { self.places[t].zone.shape.contains($0) }) {
            cuts.append((s, lvl))
        }
        var steps: [Activity] = []
        var from = 0.0
        for c in cuts {
            if c.at > from { steps.append(.move(MovePath(path.slice(from: from, to: c.at)))) }
            steps.append(.level(c.level))
            from = c.at
        }
        steps.append(.move(MovePath(from > 0 ? path.slice(from: from, to: path.length) : path.points)))
        return steps
    }

    /// Metres along `path`, from `from` on, of the first point (in steps of 0.5 m) where `test` holds.
    func firstArc(_ path: MovePath, from: Double, where test: (LocalPoint) -> Bool) -> Double? {
        let pts = path.points
        var done = 0.0
        for (a, b) in zip(pts, pts.dropFirst()) {
            let len = a.distance(to: b)
            defer { done += len }
            guard done + len >= from else { continue }
            var s = Swift.max(0, from - done)
            while s < len {
                let f = s / len
                if test(LocalPoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)) { return done + s }
                s += 0.5
            }
        }
        return test(path.end) ? done : nil
    }

    /// A spot to stay at in a place: well inside, so that shuffling about never leaves it.
    func spot(in placeIndex: Int, spread: Double = 0.55) -> LocalPoint {
        let pl = places[placeIndex].layout
        let d = rng.inDisc(radius: pl.clearance * spread)
        return LocalPoint(x: pl.point.x + d.dx, y: pl.point.y + d.dy)
    }

    /// How far someone can shuffle about at a spot of this place.
    func wanderRadius(in placeIndex: Int) -> Double { min(4, places[placeIndex].layout.clearance * 0.2) }

    /// Counts the person towards a place (or none), keeping ``assigned`` right.
    func setDestination(_ i: Int, _ place: Int?) {
        if let old = people[i].destination { assigned[old] -= 1 }
        people[i].destination = place
        if let place { assigned[place] += 1 }
    }

    /// True when everyday life may send one more person to the place.
    func hasRoom(_ placeIndex: Int) -> Bool {
        guard let cap = places[placeIndex].capacity else { return true }
        return assigned[placeIndex] < cap
    }

    /// True when the person is staying put (not walking, not away): free to be picked.
    func isStaying(_ p: SimulatedPerson) -> Bool {
        if case .stay? = p.plan.first { return true }
        return false
    }

    // MARK: - Saying things

    /// The clock moves to the next whole second.
    func advanceClock(to t: Instant) { now = t }

    /// Adds an ingest message said during the current second.
    func say(_ body: Value, at t: Instant, order: Int) {
        guard t >= start else { return }
        batch.append((SimulatedMessage(time: t, payload: .ingest(body)), order))
    }

    /// Schedules a message for a later time (a control request, or a gate passage of someone
    /// who is no simulated person); one due before the start is said at the start. With
    /// `cancelOnMuster`, a muster that begins before it is due drops it (its incident is off).
    func schedule(_ m: SimulatedMessage, cancelOnMuster: Bool = false) {
        var m = m
        if m.time < start { m.time = start }
        let i = later.firstIndex { $0.message.time > m.time } ?? later.count
        later.insert((m, cancelOnMuster), at: i)
    }

    /// A line for the log at `time` about an incident of kind `kind` (dropped when before the
    /// start). `people: false` for a vehicle's incident, which a muster does not call off.
    func note(at time: Instant, kind: String, _ text: String, people: Bool = true) {
        guard time >= start else { return }
        let i = notes.firstIndex { $0.time > time } ?? notes.count
        notes.insert(Note(time: time, kind: kind, text: text, people: people), at: i)
    }

    /// A muster begins: people's incidents still to come are called off (their notes and
    /// their messages with them).
    func musterBegins() {
        mustering = now
        musterCount += 1
        notes.removeAll { $0.people && $0.time > now }
        later.removeAll { $0.cancelOnMuster }
    }

    func musterEnds() { mustering = nil }

    /// A booking number: `B0001`, or `B<run>-01` with a run id.
    func bookingID() -> String {
        let n = next("booking")
        return runID.isEmpty ? "B" + Self.padded(n, 4) : "B\(runID)-" + Self.padded(n, 2)
    }

    /// A work permit number: `WP1`, or `WP<run>-1` with a run id.
    func permitID() -> String {
        let n = next("permit")
        return runID.isEmpty ? "WP\(n)" : "WP\(runID)-\(n)"
    }

    /// Notes due by `t`, removed.
    func takeNotes(upTo t: Instant) -> [Note] {
        let n = notes.prefix { $0.time <= t }
        notes.removeFirst(n.count)
        return Array(n)
    }

    /// A running number per kind, for booking ids, visitor tags…
    func next(_ counter: String) -> Int {
        counters[counter, default: 0] += 1
        return counters[counter]!
    }

    /// What was said during the current second, in time order (ties in the order said), with
    /// the scheduled messages that fall due in it.
    func drainSecond() -> [SimulatedMessage] {
        let end = now.adding(milliseconds: 1000)
        var due: [SimulatedMessage] = []
        while let first = later.first?.message, first.time < end {
            later.removeFirst()
            var m = first
            if m.time < now { m.time = now }
            due.append(m)
        }
        for (k, m) in due.enumerated() { batch.append((m, -due.count + k)) }
        batch.sort { ($0.message.time, $0.order) < ($1.message.time, $1.order) }
        let out = batch.map(\.message)
        batch.removeAll(keepingCapacity: true)
        return out
    }

    // MARK: - Message shapes (docs/protocol.md, "Ingest messages")

    /// A personnel tag's position: UWB noise of a few centimetres (cut at ±0.3 m), in the
    /// building's own RTLS frame when the building has one.
    func positionMessage(_ p: SimulatedPerson, at t: Instant) -> Value {
        let nx = rng.normal(sd: 0.1, clip: 3), ny = rng.normal(sd: 0.1, clip: 3)
        var point = LocalPoint(x: p.position.x + nx, y: p.position.y + ny)
        var frameName: String?
        for f in framedPlaces where f.bounds.contains(p.position) {
            let pl = places[f.place]
            if pl.zone.shape.contains(p.position), let transform = pl.frame {
                point = transform.invert(point)
                frameName = pl.layout.frame
                break
            }
        }
        var o: [String: Value] = [
            "type": "position", "tag": .string(p.tag), "t": .int(t.milliseconds),
            "x": .number(Self.round(point.x, 2)), "y": .number(Self.round(point.y, 2)),
            "accuracy_m": .number(Self.round(rng.uniform(0.2...0.4), 1)),
            "battery_pct": .int(Int(p.battery)), "moving": .bool(p.moving),
        ]
        if let frameName { o["frame"] = .string(frameName) }
        if p.level != 0 { o["level"] = .int(p.level) }
        return .object(o)
    }

    /// A vehicle's GNSS fix in WGS84, with a metre or so of noise.
    func fixMessage(_ v: SimulatedVehicle, at t: Instant) -> Value {
        let noisy = LocalPoint(x: v.position.x + rng.normal(sd: 0.7, clip: 3), y: v.position.y + rng.normal(sd: 0.7, clip: 3))
        let ll = localFrame.toLonLat(noisy)
        let kmh = v.speed < 0.3 ? max(0, rng.normal(sd: 0.2, clip: 2)) : max(0, v.speed * 3.6 + rng.normal(sd: 0.4, clip: 2))
        var o: [String: Value] = [
            "type": "position", "t": .int(t.milliseconds),
            "lon": .number(Self.round(ll.lon, 7)), "lat": .number(Self.round(ll.lat, 7)),
            "speed_kmh": .number(Self.round(kmh, 1)), "heading_deg": .int(Int(v.heading.rounded()) % 360),
            "accuracy_m": .number(Self.round(rng.uniform(1.2...2.5), 1)),
        ]
        if let terminal = v.terminal { o["tag"] = .string(terminal) } else { o["plate"] = .string(v.plate) }
        return .object(o)
    }

    /// A person's gate passage: `count` people went through on their credential.
    func gateMessage(_ p: SimulatedPerson, gate: String, direction: GatePassage.Direction, at t: Instant, count: Int = 1) -> Value {
        ["type": "gate", "gate": .string(gate), "t": .int(t.milliseconds), "direction": .string(direction.rawValue),
         "person": .string(p.id), "tag": .string(p.tag), "count": .int(count)]
    }

    /// A tag alert (docs/protocol.md, "Ingest messages").
    func alertMessage(_ p: SimulatedPerson, _ kind: TagAlert.Kind, at t: Instant) -> Value {
        ["type": "alert", "tag": .string(p.tag), "t": .int(t.milliseconds), "alert": .string(kind.rawValue)]
    }

    /// The id the service gives a violation raised at `t` (the same hash as its alarm book):
    /// what the control room acknowledges when the simulator writes a replay file and cannot
    /// ask the service.
    static func alarmID(kind: String, subject: String, scope: String = "", at t: Instant) -> String {
        StableID.violation(kind: kind, subject: subject, scope: scope, at: t).id(prefix: "V-")
    }

    /// How fast someone walks to a muster point: briskly.
    func evacuationSpeed(_ p: SimulatedPerson) -> Double { min(2.1, p.speed * 1.45) }

    /// A vehicle's gate passage, as the plate camera reads it.
    func gateMessage(_ v: SimulatedVehicle, gate: String, direction: GatePassage.Direction, at t: Instant) -> Value {
        ["type": "gate", "gate": .string(gate), "t": .int(t.milliseconds), "direction": .string(direction.rawValue),
         "plate": .string(v.plate), "plate_color": .string(v.plateColor)]
    }

    /// `n` in decimal with leading zeros to `width` digits: `padded(42, 4)` is `0042`.
    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func round(_ v: Double, _ places: Int) -> Double {
        let f = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000][places]
        return (v * f).rounded() / f
    }
}

extension SimulationWorld {
    /// People free to be picked for an incident: registered, on site by the gate record and
    /// reporting, staying somewhere (not walking, not on an incident), not the control-room
    /// crew, on the ground floor; with `test` for the rest.
    func available(_ test: (Int, SimulatedPerson) -> Bool = { _, _ in true }) -> [Int] {
        people.indices.filter { i in
            let p = people[i]
            guard p.registered, p.onSite, p.inside, !p.busy, !p.onDuty, p.level == 0, p.mutedUntil == nil,
                  isStaying(p) else { return false }
            return test(i, p)
        }
    }

    /// The place someone is staying at, if they are inside it.
    func placeOf(_ p: SimulatedPerson) -> Int? {
        guard case .place(let k) = p.node, places[k].zone.shape.contains(p.position) else { return nil }
        return k
    }
}
