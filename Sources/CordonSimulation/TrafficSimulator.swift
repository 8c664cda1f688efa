import CordonCore
import Geometry

/// Believable traffic for a site, second by second, as protocol messages: the demo's and the
/// load tests' source of input.
///
/// About 150 people (by default) walk the layout's paths between offices, canteen and the work
/// places of their enterprise, stay a while, come and go by their gates; their tags report at
/// 1 Hz with UWB noise, in the control building's own RTLS frame while inside it. A few
/// vehicles drive the roads with GNSS fixes every 5–10 s; hazmat trucks make booked deliveries
/// along their routes. Everyday traffic raises nothing: everyone comes through a gate with a
/// valid credential before positioning, trucks come on bookings and keep to their routes and
/// limits, tags keep reporting. On top of that, scripted incidents (``IncidentSchedule/demo``)
/// make an alarm happen every half minute or so: someone strays into a red zone, presses SOS,
/// collapses; a welder's guardian walks off; a truck speeds or waits on the shoulder; a
/// contractor is refused at the gate…
///
/// A muster (``beginMuster()``, or the simulator's own drill, ``Options/drillAt``) sends
/// everyone on site to their assembly point until it ends (see `Mustering.swift`).
///
/// Deterministic: the same site, layout and options give the same messages, however `step` is
/// called. Before the first message, the simulator quietly lives through a warm-up (20 minutes
/// by default) so that the park is already busy, and incidents already under way, at the start.
///
/// ```swift
/// let sim = try TrafficSimulator(site: site, layout: layout, options: .init(start: now))
/// for m in sim.step(to: now.adding(seconds: 60)) { send(m) }   // the registry first, then a minute
/// ```
public final class TrafficSimulator {
    /// What to simulate.
    public struct Options: Sendable {
        /// The same seed gives the same traffic.
        public var seed: UInt64
        /// The time of the first position (rounded down to the second).
        public var start: Instant
        /// People with tags.
        public var people: Int
        /// Seconds lived through, silently, before `start`.
        public var warmupSeconds: Double = 1200
        /// Stage the scripted incidents (false: everyday traffic only, which raises nothing).
        public var incidents = true
        /// Seconds after the start at which the simulator itself starts a drill (`muster.start`,
        /// then `muster.end` ``drillMinutes`` later); nil: no drill of its own (a service's
        /// drill is followed with ``beginMuster()``).
        public var drillAt: Double?
        /// How long a drill the simulator starts lasts: long enough for the farthest corner of
        /// the demo park (1.2 km from its assembly point, and people waiting their turn
        /// where the way is narrow) to walk there.
        public var drillMinutes: Double = 15
        /// Put in booking and permit numbers so that another run against the same service
        /// makes new ones (`B<run>-01`, `WP<run>-1`); empty for `B0001`, `WP1`.
        public var runID = ""
        /// Reference tags and a degraded zone (docs/positioning.md); none by default.
        public var positioning = PositioningScenario()

        public init(start: Instant, seed: UInt64 = 1, people: Int = 150) {
            self.start = start
            self.seed = seed
            self.people = people
        }
    }

    /// Why a simulator could not be set up.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A line for a person watching: what an incident is about to make happen, at its moment.
    public struct Note: Sendable {
        public var time: Instant
        /// The incident: `red-zone stray`, `control-room crowd`, `unknown tag`, `hazmat delivery`.
        public var kind: String
        public var text: String
    }

    /// The most people a simulation takes (tags T1001…T9000 are theirs; T9xxx are strangers').
    public static let maxPeople = 8000

    let world: SimulationWorld
    private var schedules: [(schedule: IncidentSchedule, next: Instant)] = []
    private var active: [any Incident] = []
    /// The next whole second to simulate.
    private var clock: Instant
    private var pending: [SimulatedMessage] = []
    private var preambleSaid = false
    private var previousPeople: Set<String> = []
    private var previousVehicles: [String: Bool] = [:]
    /// The simulator's own drill: when it starts and ends.
    private var drill: (start: Instant, end: Instant)?
    /// A muster the service announced (live): begun or ended at the next simulated second.
    private var musterRequest: Bool?
    /// Messages handed out so far, by kind (`position`, `gate`, `alert`, `control`).
    public private(set) var messageCounts: [String: Int] = [:]
    /// Incidents whose moment has come so far, by kind.
    public private(set) var incidentCounts: [String: Int] = [:]

    public init(site: Site, layout: SiteLayout, options: Options) throws(Failure) {
        guard layout.site == site.id else {
            throw Failure(description: "the layout is for site '\(layout.site)', the site file is '\(site.id)'")
        }
        guard (1...Self.maxPeople).contains(options.people) else {
            throw Failure(description: "the number of people must be from 1 to \(Self.maxPeople), not \(options.people)")
        }
        for g in layout.gates where site.gates[g.id] == nil {
            throw Failure(description: "the layout's gate \(g.id) is not a gate of site \(site.id)")
        }
        let start = Instant(milliseconds: options.start.milliseconds - options.start.milliseconds % 1000)
        do {
            world = try SimulationWorld(site: site, layout: layout, start: start, warmup: options.warmupSeconds, seed: options.seed)
        } catch {
            throw Failure(description: error.description)
        }
        clock = world.now
        world.runID = options.runID
        if !options.positioning.isEmpty {
            world.positioning = try PositioningSimulation(options.positioning, world: world, seed: options.seed)
        }
        if let at = options.drillAt {
            drill = (start.adding(seconds: at.rounded()), start.adding(seconds: (at + options.drillMinutes * 60).rounded()))
        }
        world.people = Roster.people(count: options.people, in: world)
        world.vehicles = Roster.vehicles(people: options.people, in: world)
        placeEveryone()
        if options.incidents {
            schedules = IncidentSchedule.demo.map { ($0, start.adding(seconds: $0.first)) }
        }
        while clock < start { simulateSecond() }
    }

    /// Who is on site by the gate record of a service that already ran (an earlier demo on the
    /// same store), before the first ``step(to:)``: people who are on site in this simulation
    /// too are not badged in again; the others, and those vehicles, are badged out.
    /// `vehicles` maps a plate to whether it came on a hazmat booking.
    public func alreadyOnSite(people: Set<String>, vehicles: [String: Bool]) {
        previousPeople = people
        previousVehicles = vehicles
    }

    /// A muster started on the service (its `muster.started` event): from the next simulated
    /// second everyone on site walks to their muster point. ``endMuster()`` sends them back.
    public func beginMuster() { musterRequest = true }

    /// The muster ended (`muster.ended`): people walk back to work.
    public func endMuster() { musterRequest = false }

    /// True while the simulated people are mustering.
    public var isMustering: Bool { world.mustering != nil }

    /// The simulated people and vehicles (registered ones; strangers' tags come and go).
    public var peopleCount: Int { world.people.filter(\.registered).count }
    public var vehicleCount: Int { world.vehicles.count }
    /// The first instant of traffic.
    public var start: Instant { world.start }

    /// Everything said up to and including `t`, in time order. The first call begins with
    /// what must come before any traffic: the `registry.upsert` control request with everyone,
    /// then a gate entry for each person already on site (so that nobody seems to be inside
    /// without having come in), dated in the half minute before the start.
    public func step(to t: Instant) -> [SimulatedMessage] {
        var out: [SimulatedMessage] = []
        if !preambleSaid {
            preambleSaid = true
            out = preamble()
        }
        while clock <= t { simulateSecond() }
        let n = pending.prefix { $0.time <= t }.count
        out += pending.prefix(n)
        pending.removeFirst(n)
        for m in out { messageCounts[m.kind, default: 0] += 1 }
        return out
    }

    /// Notes whose time has come by `t`: what each incident is about to show.
    public func takeNotes(upTo t: Instant) -> [Note] {
        world.takeNotes(upTo: t).map { n in
            incidentCounts[n.kind, default: 0] += 1
            return Note(time: n.time, kind: n.kind, text: n.text)
        }
    }

    // MARK: - Inside

    /// Where everyone is when the warm-up begins: nine in ten on site, staying somewhere
    /// suitable for a random while; the rest away, back within 40 minutes. Vehicles start away.
    private func placeEveryone() {
        let w = world
        for i in w.people.indices {
            w.people[i].node = .hub
            if w.people[i].onDuty || w.rng.chance(0.9) {
                let target = w.people[i].onDuty ? w.place("Z-E01-CCR") : PersonRoutine.choosePlace(i, in: w)
                w.people[i].onSite = true
                w.people[i].inside = true
                if let target {
                    let spot = w.spot(in: target)
                    w.people[i].position = spot
                    w.people[i].level = w.places[target].layout.level ?? 0
                    w.people[i].node = .place(target)
                    w.setDestination(i, target)
                    w.people[i].plan = [.stay(until: w.now.adding(seconds: w.rng.uniform(30...900).rounded()), spot: spot,
                                              radius: w.wanderRadius(in: target))]
                    w.anchorIfSafe(i)
                } else {
                    w.people[i].position = w.hub(of: w.people[i])
                }
            } else {
                w.people[i].node = .outside
                w.people[i].onSite = false
                w.people[i].plan = [.away(until: w.now.adding(seconds: w.rng.uniform(60...2400).rounded()))]
            }
        }
        var k = 0
        for i in w.vehicles.indices where !w.vehicles[i].isHazmat {
            // Ordinary vehicles start coming in soon after the start, one every 45 s or so.
            w.vehicles[i].plan = [.away(until: w.start.adding(seconds: 10 + Double(k) * 45))]
            k += 1
        }
    }

    /// The registry, then the gate entries of those on site at the start.
    private func preamble() -> [SimulatedMessage] {
        let w = world
        let t0 = w.start
        let registered = w.people.filter(\.registered).sorted { $0.id < $1.id }
        var upsert: Value = [
            "op": "registry.upsert",
            "people": .array(registered.map(\.record)),
            "vehicles": .array(w.vehicles.sorted { $0.plate < $1.plate }.map(\.record)),
        ]
        if let refs = w.positioning?.records, !refs.isEmpty, case .object(var o) = upsert {
            o["references"] = .array(refs)
            upsert = .object(o)
        }
        var out = [SimulatedMessage(time: t0.adding(seconds: -30), payload: .control(upsert))]
        // A service that ran an earlier demo still has some of its people (and vehicles) on site
        // by its gate record: those who are on site now too need no entry; the others leave.
        var leaving: [Value] = []
        let here = Set(registered.filter(\.inside).map(\.id))
        for id in previousPeople.sorted() where !here.contains(id) {
            let gate = w.people.first { $0.id == id && $0.registered }?.gate ?? VehicleRoutine.gate
            leaving.append(["type": "gate", "gate": .string(gate), "direction": "out", "person": .string(id), "count": 1])
        }
        for (plate, hazmat) in previousVehicles.sorted(by: { $0.key < $1.key }) {
            let gate = hazmat ? (w.layout.gates.first { $0.gateClass == "hazmat" }?.id ?? "G2") : VehicleRoutine.gate
            leaving.append(["type": "gate", "gate": .string(gate), "direction": "out", "plate": .string(plate)])
        }
        for (k, m) in leaving.enumerated() {
            let t = t0.adding(milliseconds: -29_000 + Int64(k) * 3_000 / Int64(max(leaving.count, 1)))
            guard case .object(var o) = m else { continue }
            o["t"] = .int(t.milliseconds)
            out.append(SimulatedMessage(time: t, payload: .ingest(.object(o))))
        }
        let inside = registered.filter { $0.inside && !previousPeople.contains($0.id) }
        for (k, p) in inside.enumerated() {
            // Spread over the 25 seconds before the start, in order: close enough to the first
            // positions that a staffed room is not found empty in between.
            let t = t0.adding(milliseconds: -25_000 + Int64(k) * 24_000 / Int64(max(inside.count, 1)))
            out.append(SimulatedMessage(time: t, payload: .ingest(w.gateMessage(p, gate: p.gate, direction: .in, at: t))))
        }
        return out
    }

    /// One second of the park: incidents staged and ticked, everyone moved, messages collected.
    private func simulateSecond() {
        let w = world
        w.advanceClock(to: clock)
        if let d = drill, clock == d.start, w.mustering == nil {
            w.schedule(SimulatedMessage(time: clock, payload: .control(["op": "muster.start", "mode": "drill", "by": "simulated drill"])))
            w.note(at: clock, kind: "drill", "a drill: muster.start; everyone walks to their assembly point, muster.end in \(Int(d.end.seconds(since: d.start) / 60)) min", people: false)
            musterRequest = true
        }
        if let d = drill, clock == d.end, w.mustering != nil {
            w.schedule(SimulatedMessage(time: clock, payload: .control(["op": "muster.end", "by": "simulated drill"])))
            musterRequest = false
        }
        if let begin = musterRequest {
            musterRequest = nil
            if begin && w.mustering == nil {
                startMuster()
            } else if !begin && w.mustering != nil {
                w.returnFromMuster()
                // Incidents resume a minute after, one by one.
                for k in schedules.indices {
                    schedules[k].next = max(schedules[k].next, clock.adding(seconds: 60 + Double(k) * 25))
                }
            }
        }
        if w.mustering == nil {
            for k in schedules.indices {
                while schedules[k].next.adding(seconds: -leadTime(schedules[k].schedule)) <= clock {
                    let incident = schedules[k].schedule.make()
                    if incident.stage(in: w, moment: max(schedules[k].next, clock)) {
                        if incident.tick(in: w) { active.append(incident) }
                        schedules[k].next = schedules[k].next.adding(seconds: w.rng.uniform(schedules[k].schedule.every).rounded())
                    } else {
                        // No one suitable just now: try again a little later.
                        schedules[k].next = schedules[k].next.adding(seconds: 20)
                        break
                    }
                }
            }
        }
        active = active.filter { $0.tick(in: w) }
        for i in w.people.indices { w.advancePerson(i) }
        for i in w.vehicles.indices { w.advanceVehicle(i) }
        if let q = w.positioning {
            for (k, f) in q.fixes(at: clock, start: w.start).enumerated() { w.say(f, at: clock, order: 1_000_000 + k) }
        }
        pending += w.drainSecond()
        clock = clock.adding(milliseconds: 1000)
    }

    /// People drop what they are doing (incidents about people are called off) and walk to
    /// the muster points; the crew on duty are vouched for by hand a little later.
    private func startMuster() {
        let w = world
        active = active.filter { $0.musterBegins(in: w) }
        let marks = w.evacuate()
        for (k, m) in marks.enumerated() {
            w.schedule(SimulatedMessage(time: clock.adding(seconds: 15 + Double(k) * 2), payload: .control(m)))
        }
    }

    private var leadTimes: [String: Double] = [:]

    /// An incident kind's lead time (asked of a fresh instance once).
    private func leadTime(_ s: IncidentSchedule) -> Double {
        if let t = leadTimes[s.name] { return t }
        let t = s.make().leadTime
        leadTimes[s.name] = t
        return t
    }
}
