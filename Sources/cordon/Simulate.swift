import ArgumentParser
import CordonCore
import CordonService
import CordonSimulation
import CordonWire
import Foundation
import Geometry
import ZeroMQ

/// `cordon simulate`: believable traffic for a site, sent to a running service in real time,
/// or written to a replay file as fast as it can be made.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a park's people, vehicles and incidents: send the traffic to cordon serve, or write it to a file.",
        discussion: """
            People come in through the gates, walk between the places of their enterprise and report at
            1 Hz; vehicles drive the roads with GNSS fixes; hazmat trucks come on bookings. Every half
            minute or so an incident makes an alarm happen: a red-zone stray, an SOS, a collapse, a welder
            whose guardian walks off, a tag gone silent, a speeding truck, a contractor refused at the
            gate… Everyday traffic raises nothing by itself. When a muster starts on the service
            (--events), everyone walks to their assembly point until it ends. The same seed gives the
            same traffic.

            To a running service (stop with Ctrl-C):
              cordon simulate --site geofences/demo-park.geojson
            To a replay file, ten minutes of traffic, as fast as possible:
              cordon simulate --site geofences/demo-park.geojson --duration 600 --output traffic.jsonl
              cordon replay --site geofences/demo-park.geojson traffic.jsonl
            With a drill of its own (muster.start 120 s in, muster.end 15 minutes later):
              cordon simulate --site geofences/demo-park.geojson --duration 1000 --drill-at 120 --output drill.jsonl
            """)

    @Option(help: "The site file.") var site: String
    @Option(help: "The site's walking and driving layout (written by tools/make-demo-park.py).")
    var layout = "tools/demo-park-layout.json"
    @Option(help: "Ingest address to PUSH to.") var ingest = "tcp://127.0.0.1:7001"
    @Option(help: "Control address for the registry and bookings (REQ).") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Events address (SUB): a muster started there sends everyone to the muster points.")
    var events = "tcp://127.0.0.1:7002"
    @Option(help: "Random seed: the same seed gives the same traffic.") var seed: UInt64 = 1
    @Option(help: "Time acceleration: 10 runs ten simulated seconds per second.") var speed: Double = 1
    @Option(help: "Seconds of simulated time to run (default: until Ctrl-C; required with --output).")
    var duration: Double?
    @Option(help: "People with tags.") var people = 150
    @Option(help: "Write replay-form lines (docs/protocol.md, 'Replay') to this file instead of sending; - for standard output.")
    var output: String?
    @Option(help: "Time of the first position, RFC 3339 or epoch milliseconds (default: now).") var start: String?
    @Option(help: "Milliseconds to wait for each control reply.") var timeout = 5000
    @OptionGroup var curve: CurveOptions
    @Option(help: "Start a drill this many seconds in (muster.start, then muster.end --drill-minutes later).")
    var drillAt: Double?
    @Option(help: "How long the drill of --drill-at lasts, minutes.") var drillMinutes: Double = 15
    @Option(help: "Put in booking and permit numbers (B<run>-01, WP<run>-1), so that a service that remembers earlier runs takes them as new.")
    var runId = ""
    @Flag(help: "Everyday traffic only: no staged incidents.") var noIncidents = false
    @Option(help: "Reference tags to place, one at the centre of each of the first zones people visit (docs/positioning.md).")
    var references = 0
    @Option(help: "How far reference tags' fixes scatter around their surveyed point (standard deviation, metres).")
    var referenceScatter = 0.4
    @Option(help: "A zone whose positioning fails for a while (fixes at ±4–8 m): positioning-degraded.")
    var degradeZone: String?
    @Option(help: "Seconds after the start at which --degrade-zone goes bad.") var degradeAt: Double = 3600
    @Option(help: "How long --degrade-zone stays bad, seconds.") var degradeFor: Double = 1800

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a number above 0") }
        if let duration { guard duration > 0, duration.isFinite else { throw ValidationError("--duration must be a number of seconds above 0") } }
        guard (1...TrafficSimulator.maxPeople).contains(people) else {
            throw ValidationError("--people must be from 1 to \(TrafficSimulator.maxPeople)")
        }
        if output != nil, duration == nil {
            throw ValidationError("--output needs --duration SECONDS: how much simulated time to write")
        }
        if let drillAt { guard drillAt >= 0, drillAt.isFinite else { throw ValidationError("--drill-at must be a number of seconds, 0 or more") } }
        guard (0...50).contains(references) else { throw ValidationError("--references must be from 0 to 50") }
        guard referenceScatter >= 0, referenceScatter <= 50 else { throw ValidationError("--reference-scatter must be 0 to 50 metres") }
        guard degradeAt >= 0, degradeAt.isFinite, degradeFor > 0, degradeFor.isFinite else {
            throw ValidationError("--degrade-at must be ≥ 0 and --degrade-for > 0 seconds")
        }
        guard drillMinutes > 0, drillMinutes.isFinite else { throw ValidationError("--drill-minutes must be a number above 0") }
        guard runId.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ValidationError("--run-id takes letters, digits and '-'")
        }
        if let start, parseStart(start) == nil {
            throw ValidationError("--start '\(start)' is neither an RFC 3339 time with a zone nor epoch milliseconds")
        }
    }

    private func parseStart(_ text: String) -> Instant? {
        if let ms = Int64(text), ms >= 0 { return Instant(milliseconds: ms) }
        return RFC3339.parse(text)
    }

    func run() throws {
        let loadedSite: Site
        let loadedLayout: SiteLayout
        do {
            loadedSite = try SiteFile.load(path: site)
            loadedLayout = try SiteLayout.load(path: layout)
        } catch {
            FileHandle.standardError.write(Data("cordon simulate: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let begin = start.flatMap(parseStart) ?? WallClock.now()
        var options = TrafficSimulator.Options(start: begin, seed: seed, people: people)
        options.drillAt = drillAt
        options.drillMinutes = drillMinutes
        options.runID = runId
        options.incidents = !noIncidents
        options.positioning.references = references
        options.positioning.referenceScatterSD = referenceScatter
        options.positioning.degradedZone = degradeZone
        options.positioning.degradeFromS = degradeAt
        options.positioning.degradeForS = degradeFor
        let sim: TrafficSimulator
        do {
            sim = try TrafficSimulator(site: loadedSite, layout: loadedLayout, options: options)
        } catch {
            FileHandle.standardError.write(Data("cordon simulate: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let output {
            try write(sim, to: output, begin: begin, seconds: duration ?? 0)
        } else {
            try send(sim, begin: begin)
        }
    }

    // MARK: - To a file

    private func write(_ sim: TrafficSimulator, to path: String, begin: Instant, seconds: Double) throws {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                FileHandle.standardError.write(Data("cordon simulate: cannot write \(path)\n".utf8))
                throw ExitCode(2)
            }
            handle = h
        }
        let clock = Date()
        let end = begin.adding(seconds: seconds)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var lines = 0
        var t = sim.start
        // A minute at a time, so that memory stays small however long the run.
        repeat {
            t = min(t.adding(seconds: 60), end)
            for m in sim.step(to: t) {
                buffer += m.replayLine.utf8
                buffer.append(10)
                lines += 1
                if buffer.count >= 1 << 20 {
                    handle.write(Data(buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            _ = sim.takeNotes(upTo: t)
        } while t < end
        handle.write(Data(buffer))
        if path != "-" { try? handle.close() }
        let secs = Date().timeIntervalSince(clock)
        let summary = Self.summary(sim, seconds: seconds, begin: begin, seed: seed)
            + String(format: "; %d lines written to %@ in %.1f s", lines, path == "-" ? "standard output" : path, secs)
        // Standard output may be the file itself.
        FileHandle.standardError.write(Data((summary + "\n").utf8))
    }

    // MARK: - To a service

    private func send(_ sim: TrafficSimulator, begin: Instant) throws {
        let credentials = try curve.credentials()
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let push = try ctx.socket(.push)
        try credentials?.secure(push)
        try push.setSendHighWaterMark(200_000)
        // On the way out, give queued messages a moment to reach the service.
        try push.setLinger(2000)
        try push.connect(ingest)
        let requester = try ControlClient(endpoint: control, curve: credentials, timeoutMilliseconds: timeout, context: ctx)
        let events = try ctx.socket(.sub)
        try credentials?.secure(events)
        try events.setLinger(0)
        try events.connect(self.events)
        try events.subscribe("muster.")
        defer {
            requester.close()
            events.close()
            push.close()
        }
        let stop = StopFlag()
        stop.installSignalHandlers()
        let end = duration.map { begin.adding(seconds: $0) }
        say("sending \(sim.peopleCount) people and \(sim.vehicleCount) vehicles to \(ingest) (control \(control)), seed \(seed), speed ×\(Self.number(speed))"
            + (duration.map { ", for \(Self.number($0)) s" } ?? ", until Ctrl-C"))
        // An earlier demo may have left people on site by the service's gate record, or a muster
        // running: carry on from there.
        guard let presence = requester.request(["op": "presence"]) else {
            FileHandle.standardError.write(Data("cordon simulate: no reply from the control socket \(control): is cordon serve running?\n".utf8))
            throw ExitCode(3)
        }
        if presence["ok"]?.boolValue == true, let subjects = presence["subjects"]?.arrayValue, !subjects.isEmpty {
            let people = Set(subjects.filter { $0["kind"] == "person" }.compactMap { $0["id"]?.stringValue })
            var vehicles: [String: Bool] = [:]
            for v in subjects where v["kind"] == "vehicle" {
                if let plate = v["id"]?.stringValue { vehicles[plate] = v["booking"]?.stringValue != nil }
            }
            sim.alreadyOnSite(people: people, vehicles: vehicles)
            say("\(Self.clock(begin))  the service has \(people.count) people and \(vehicles.count) vehicles on site from before: those not here now are badged out")
        }
        if requester.request(["op": "muster.status"])?["ok"]?.boolValue == true {
            sim.beginMuster()
            say("\(Self.clock(begin))  a muster is running on the service: everyone on site walks to their assembly point")
        }
        let mono0 = WallClock.monotonic()
        var sent = 0, dropped = 0, ok = 0, refused = 0, unanswered = 0
        var first = true
        var preambleNoted = false
        var reached = begin
        while !stop.isSet {
            var target = begin.adding(seconds: (WallClock.monotonic() - mono0) * speed)
            var last = false
            if let end, target >= end {
                target = end
                last = true
            }
            reached = target
            for m in sim.step(to: target) {
                switch m.payload {
                case .control, .acknowledge:
                    var request = m.request ?? .null
                    if case .acknowledge(let a) = m.payload {
                        // Ask the service which alarm it is; the derived id if it does not say.
                        let found = requester.request(["op": "alarms.active", "kind": .string(a.kind), "subject": .string(a.subject)])
                        if let id = found?["alarms"]?.arrayValue?.last?["id"]?.stringValue { request = a.request(id: id) }
                    }
                    switch requester.request(request) {
                    case .none:
                        unanswered += 1
                        say("\(Self.clock(target))  control \(Self.describe(request)): no reply from \(control) within \(timeout) ms")
                        if first {
                            FileHandle.standardError.write(Data("cordon simulate: no reply from the control socket \(control): is cordon serve running?\n".utf8))
                            throw ExitCode(3)
                        }
                    case .some(let reply):
                        if reply["ok"]?.boolValue == true { ok += 1 } else { refused += 1 }
                        say("\(Self.clock(target))  control \(Self.describe(request)): \(Self.describe(reply: reply))")
                    }
                    first = false
                case .ingest:
                    if (try? push.send(m.bytes, dontWait: true)) == true { sent += 1 } else { dropped += 1 }
                }
            }
            // A muster on the service: people walk to the muster points, and back when it ends.
            while let frames = try? events.receiveMessage(dontWait: true), frames.count == 2 {
                let topic = String(decoding: frames[0], as: UTF8.self)
                if topic == "muster.started" && !sim.isMustering {
                    sim.beginMuster()
                    say("\(Self.clock(target))  muster started on the service: everyone on site walks to their assembly point")
                } else if topic == "muster.ended" && sim.isMustering {
                    sim.endMuster()
                    say("\(Self.clock(target))  muster ended: people walk back to work")
                }
            }
            if !preambleNoted, let gates = sim.messageCounts["gate"] {
                preambleNoted = true
                say("\(Self.clock(target))  on site: \(gates) people already in, who badged in at their gates in the half minute before")
            }
            for n in sim.takeNotes(upTo: target) { say("\(Self.clock(n.time))  \(n.kind): \(n.text)") }
            if last { break }
            usleep(20_000)
        }
        var line = Self.summary(sim, seconds: (reached.seconds(since: begin) * 10).rounded() / 10, begin: begin, seed: seed)
        line += "; \(sent) sent"
        if dropped > 0 { line += ", \(dropped) not sent (the service did not take them)" }
        line += "; control: \(ok) ok, \(refused) refused" + (unanswered > 0 ? ", \(unanswered) unanswered" : "")
        say(line)
    }

    /// Prints one line at once (the output is often a log file someone is tailing).
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    // MARK: - Wording

    static func summary(_ sim: TrafficSimulator, seconds: Double?, begin: Instant, seed: UInt64) -> String {
        let c = sim.messageCounts
        let total = c.values.reduce(0, +)
        var s = "cordon simulate: \(sim.peopleCount) people, \(sim.vehicleCount) vehicles, seed \(seed)"
        if let seconds { s += ", \(number(seconds)) s of traffic from \(begin.rfc3339)" }
        s += ": \(total) messages (" + ["position", "gate", "alert", "control"].compactMap { k in
            c[k].map { "\($0) \(k)" }
        }.joined(separator: ", ") + ")"
        let incidents = sim.incidentCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        s += "; incidents: " + (incidents.isEmpty ? "none" : incidents.joined(separator: ", "))
        return s
    }

    static func describe(_ request: Value) -> String {
        var s = request["op"]?.stringValue ?? "?"
        if let id = request["id"]?.stringValue { s += " \(id)" }
        if let person = request["person"]?.stringValue { s += " \(person)" }
        if let plate = request["plate"]?.stringValue { s += " (\(plate))" }
        if let people = request["people"]?.arrayValue { s += " (\(people.count) people" + (request["vehicles"]?.arrayValue.map { ", \($0.count) vehicles" } ?? "") + ")" }
        return s
    }

    static func describe(reply: Value) -> String {
        if reply["ok"]?.boolValue == true {
            // Counts and short words; a record (a booking, a permit, a muster) by its id.
            let members = (reply.objectValue ?? [:]).filter { $0.key != "ok" }.sorted { $0.key < $1.key }
            let shown = members.compactMap { k, v -> String? in
                switch v {
                case .number, .bool: return "\(k) \(JSONText.encode(v))"
                case .string(let s) where s.count <= 40: return "\(k) \(s)"
                case .object(let o): return o["id"]?.stringValue.map { "\(k) \($0)" }
                default: return nil
                }
            }
            return "ok" + (shown.isEmpty ? "" : " (" + shown.joined(separator: ", ") + ")")
        }
        let code = reply["error"]?["code"]?.stringValue ?? "error"
        let message = reply["error"]?["message"]?.stringValue ?? ""
        return "refused — \(code): \(message) (going on without it)"
    }

    /// `08:00:15` (UTC, as `cordon watch` shows event times).
    static func clock(_ t: Instant) -> String {
        let s = t.rfc3339
        guard let i = s.firstIndex(of: "T") else { return s }
        return String(s[s.index(after: i)...].prefix(8))
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
