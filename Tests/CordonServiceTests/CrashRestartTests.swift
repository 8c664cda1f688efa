import CordonCore
import CordonService
import CordonTestSupport
import CordonStore
import CordonWire
import Foundation
import Geometry
import Testing
import ZeroMQ

/// Issue 12's acceptance: `serve` killed with SIGKILL at random moments under load comes back
/// as it was after the last frame whose effects were stored.
@Suite("A crash at any moment loses nothing a restart needs", .serialized)
struct CrashRestartTests {
    @Test("a person and a vehicle that only moved come back where they were last seen, from the journal's once-a-second write")
    func movedOnly() throws {
        let world = try CrashWorld()
        var serve = try world.start()
        let registry: Value = [
            "op": "registry.upsert",
            "people": [["id": "P-MOVER", "name": "mover", "tag": "T-MOVER"]],
            "vehicles": [["plate": "鲁E00001", "enterprise": "E01"]],
        ]
        #expect(try serve.request(registry, context: world.context)["ok"] == true)
        let push = try world.context.socket(.push)
        defer { push.close() }
        try push.setLinger(1000)
        try push.connect(serve.ingest)
        // In the open between the warehouse and the control room, 2 m a step: no zone entered.
        let start = world.places.last ?? LocalPoint(x: 0, y: 60)
        let t0 = WallClock.now().milliseconds - 3_000
        var last = (person: start, vehicle: start)
        for i in 0..<10 {
            let p = LocalPoint(x: start.x + Double(i) * 2, y: start.y)
            let v = LocalPoint(x: start.x - Double(i) * 2, y: start.y - 10)
            let t = t0 + Int64(i) * 200
            _ = try push.send(#"[{"type":"position","tag":"T-MOVER","t":\#(t),"x":\#(p.x),"y":\#(p.y),"moving":true},{"type":"position","plate":"鲁E00001","t":\#(t),"x":\#(v.x),"y":\#(v.y)}]"#)
            last = (p, v)
            // Apart, so that each frame is its own commit: after the first, nothing lasting changes.
            usleep(100_000)
        }
        // Past two periodic journal drains (one a second), then no goodbye.
        usleep(2_200_000)
        serve.kill()
        serve = try world.start()
        defer { serve.stop() }
        let person = try serve.request(["op": "whereis", "person": "P-MOVER"], context: world.context)
        let vehicle = try serve.request(["op": "whereis", "plate": "鲁E00001"], context: world.context)
        // Positions are published to the centimetre.
        #expect(abs((person["position"]?["x"]?.numberValue ?? 0) - last.person.x) < 0.01, "\(person)")
        #expect(abs((vehicle["position"]?["x"]?.numberValue ?? 0) - last.vehicle.x) < 0.01, "\(vehicle)")
    }

    @Test("ten SIGKILLs under load: every published violation is stored; presence, entry times, open alarms and timers come back")
    func killedUnderLoad() throws {
        let world = try CrashWorld()
        var rng = SystemRandomNumberGenerator()
        var serve = try world.start()
        try world.register(serve)
        for round in 0..<10 {
            // Load, then a kill at a random moment of it.
            let load = try world.startLoad(serve)
            usleep(UInt32.random(in: 300_000...1_200_000, using: &rng))
            serve.kill()
            let (sent, published) = load.finish()
            world.noteSent(sent)

            // What a subscriber saw, the store has.
            let stored = try world.storedEvents()
            for e in published {
                #expect(stored.contains(e.key), "round \(round): \(e.key) was published before the kill but is not in the store")
            }
            let openBefore = try world.openAlarms()

            serve = try world.start()
            // Open alarms are all still open (nothing raised again: checked over the whole history below).
            let active = Set(try serve.request(["op": "alarms.active"], context: world.context)["alarms"]?.arrayValue?
                .compactMap { $0["id"]?.stringValue } ?? [])
            #expect(openBefore.isSubset(of: active), "round \(round): open alarms lost: \(openBefore.subtracting(active).sorted())")
            // Headcounts with entry times are those after some frame between the last one
            // published and the last one sent.
            let restored = try world.headcounts(serve)
            let matched = world.matchFrame(restored, atLeast: published.compactMap(\.frameTime).max())
            #expect(matched != nil, "round \(round): the restored headcounts match no frame since the last published one")
            if let matched { world.keep(upTo: matched) }
            #expect(restored.contains("Z-WH-1|P-D1|\(world.firstTime.milliseconds)"), "round \(round): the long stay's entry time moved")
        }
        // Let every timer fall due, then stop cleanly and read the record.
        while WallClock.now() < world.firstTime.adding(seconds: 22) { usleep(200_000) }
        serve.stop()
        let history = try world.history()
        func raises(_ kind: ViolationKind, _ person: String) -> [ViolationEvent] {
            history.filter { $0.kind == kind && $0.subjectID == person && $0.state == .raised }
        }
        let t0 = world.firstTime
        let overstay = raises(.overstay, "P-D1")
        #expect(overstay.count == 1 && overstay.first?.time == t0.adding(seconds: 15), "the overstay falls due 15 s after the entry, crashes or not: \(overstay.map(\.time))")
        #expect(overstay.first?.details["entered_at"] == .time(t0))
        let manDown = raises(.manDown, "P-D2")
        #expect(manDown.count == 1 && manDown.first?.time == t0.adding(seconds: 10), "man-down: still since the first position, 8 s + 2 s: \(manDown.map(\.time))")
        let alone = raises(.loneWorker, "P-D4")
        #expect(alone.count == 1 && alone.first?.time == t0.adding(seconds: 12), "the lone worker's grace ran across the crashes: \(alone.map(\.time)), entry \(t0)")
        let offline = raises(.tagOffline, "P-D3")
        #expect(offline.count == 1 && offline.first?.time == t0.adding(seconds: 20), "offline 20 s after the one position: \(offline.map(\.time))")
        // Nothing raised twice: between two raises of one condition there is a clear.
        var up: Set<String> = []
        for e in history {
            let key = "\(e.kind.rawValue)|\(e.subjectKind):\(e.subjectID)|\(e.scope)"
            if e.state == .raised {
                #expect(!up.contains(key), "raised again while up: \(key) at \(e.time.rfc3339)")
                up.insert(key)
            } else {
                up.remove(key)
            }
        }
    }
}

/// The park, the people and the load of the crash test, and a shadow engine fed the same
/// frames to say what the state should be after each.
final class CrashWorld: @unchecked Sendable {
    let directory = ServiceHarness.temporaryDirectory()
    let sitePath: String
    let site: Site
    let context: ZMQContext
    var places: [LocalPoint] = []
    var zoneCentre: [String: LocalPoint] = [:]
    let walkers = (0..<60).map { String(format: "W%03d", $0) }
    /// The first frame's time: the designated people's entry and stillness start.
    private(set) var firstTime = Instant(milliseconds: 0)
    /// Frames the service has taken (as far as the checks could tell), in order, and those of
    /// the round just killed.
    private var kept: [(time: Instant, text: String)] = []
    private var lastRound: [(time: Instant, text: String)] = []
    private var frameCount = 0
    static let zones = ["Z-WH-1", "Z-OFFICE", "Z-CANTEEN", "Z-CL2", "Z-CR", "Z-PUMP", "Z-TANK-1"]

    init() throws {
        let fixture = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson")
        guard var doc = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any],
              var cordon = doc["cordon"] as? [String: Any], var defaults = cordon["defaults"] as? [String: Any],
              var features = doc["features"] as? [[String: Any]] else { throw ServeProcess.Failure.noBinary }
        defaults["offline_after_s"] = 20
        defaults["man_down_after_s"] = 8
        defaults["man_down_cancel_s"] = 2
        defaults["lone_worker_grace_s"] = 12
        cordon["defaults"] = defaults
        doc["cordon"] = cordon
        for i in features.indices {
            guard var p = features[i]["properties"] as? [String: Any], p["id"] as? String == "Z-WH-1" else { continue }
            p["max_stay_min"] = 0.25
            features[i]["properties"] = p
        }
        doc["features"] = features
        sitePath = directory + "/site.geojson"
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: sitePath))
        site = try SiteFile.load(path: sitePath)
        context = try ZMQContext()
        for f in features {
            guard let p = f["properties"] as? [String: Any], let id = p["id"] as? String, Self.zones.contains(id),
                  let g = f["geometry"] as? [String: Any], let rings = g["coordinates"] as? [[[Double]]], let ring = rings.first else { continue }
            let pts = ring.map { site.frame.toLocal(LonLat(lon: $0[0], lat: $0[1])) }
            let c = LocalPoint(x: (pts.map(\.x).min()! + pts.map(\.x).max()!) / 2, y: (pts.map(\.y).min()! + pts.map(\.y).max()!) / 2)
            zoneCentre[id] = c
        }
        // Walkers go round these (never into the tank farm, which is the lone worker's).
        places = ["Z-WH-1", "Z-OFFICE", "Z-CANTEEN", "Z-CL2", "Z-CR", "Z-PUMP"].compactMap { zoneCentre[$0] }
        places.append(LocalPoint(x: (zoneCentre["Z-WH-1"]!.x + zoneCentre["Z-CR"]!.x) / 2, y: 60))
    }

    var registryRequest: Value {
        var people: [Value] = walkers.map { w in ["id": .string("P-\(w)"), "name": .string(w), "tag": .string("T-\(w)")] }
        for d in ["D1", "D2", "D3", "D4"] { people.append(["id": .string("P-\(d)"), "name": .string(d), "tag": .string("T-\(d)")]) }
        return ["op": "registry.upsert", "people": .array(people)]
    }

    func start() throws -> ServeProcess { try ServeProcess(site: sitePath, data: directory) }

    func register(_ serve: ServeProcess) throws {
        #expect(try serve.request(registryRequest, context: context)["ok"] == true)
    }

    /// One frame: every walker, and the designated people (D3 in the first frame only).
    func frame(_ n: Int, at t: Instant) -> String {
        var items: [String] = []
        for (i, w) in walkers.enumerated() {
            let period = 3 + i % 10
            let p = places[(i + n / period) % places.count]
            let jitter = Double(n % 3) * 0.3
            items.append(#"{"type":"position","tag":"T-\#(w)","t":\#(t.milliseconds),"x":\#(p.x + jitter),"y":\#(p.y),"moving":true}"#)
        }
        func at(_ zone: String, _ tag: String, moving: Bool = true) -> String {
            let c = zoneCentre[zone] ?? LocalPoint(x: 0, y: 0)
            return #"{"type":"position","tag":"\#(tag)","t":\#(t.milliseconds),"x":\#(c.x + 3),"y":\#(c.y + 3)\#(moving ? #","moving":true"# : "")}"#
        }
        items.append(at("Z-WH-1", "T-D1"))
        items.append(at("Z-OFFICE", "T-D2", moving: false))
        items.append(at("Z-TANK-1", "T-D4"))
        if n == 0 { items.append(at("Z-CANTEEN", "T-D3")) }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// Starts pushing a frame every 20 ms and recording what is published.
    func startLoad(_ serve: ServeProcess) throws -> Load {
        let load = try Load(world: self, serve: serve, firstFrame: frameCount)
        return load
    }

    func noteSent(_ sent: [(time: Instant, text: String)]) {
        if firstTime.milliseconds == 0, let f = sent.first { firstTime = f.time }
        frameCount += sent.count
        lastRound = sent
    }

    func nextFrameNumber() -> Int { frameCount }

    /// (id, state) of every stored violation event.
    func storedEvents() throws -> Set<String> {
        let store = try Store(directory: directory)
        defer { try? store.close() }
        return Set(try store.violations(limit: 10_000_000).map { "\($0.id)|\($0.state.rawValue)" })
    }

    func openAlarms() throws -> Set<String> {
        let store = try Store(directory: directory)
        defer { try? store.close() }
        return Set(try store.activeAlarms().map(\.id))
    }

    func history() throws -> [ViolationEvent] {
        let store = try Store(directory: directory)
        defer { try? store.close() }
        return try store.violations(limit: 10_000_000)
    }

    /// "zone|person|since-ms" for everyone in the zones the test watches.
    func headcounts(_ serve: ServeProcess) throws -> Set<String> {
        var out: Set<String> = []
        for z in Self.zones {
            let r = try serve.request(["op": "headcount", "zone": .string(z)], context: context)
            for p in r["zone"]?["people"]?.arrayValue ?? [] {
                guard let id = p["id"]?.stringValue, let since = p["since"]?.stringValue.flatMap(RFC3339.parse) else { continue }
                out.insert("\(z)|\(id)|\(since.milliseconds)")
            }
        }
        return out
    }

    /// The frame of the last round after which a shadow engine's headcounts equal `restored`,
    /// searched from the last sent back to the last one published (or the round's start).
    func matchFrame(_ restored: Set<String>, atLeast published: Instant?) -> Int? {
        let shadow = Engine(site: site, registry: Registry(), start: Instant(milliseconds: 0))
        _ = shadow.control(registryRequest, at: firstTime.milliseconds == 0 ? WallClock.now() : firstTime)
        let decoder = IngestDecoder()
        func feed(_ text: String) {
            decoder.decode(Array(text.utf8)) { item in
                if case .message(let m) = item { _ = shadow.handle(m) }
            }
        }
        for f in kept { feed(f.text) }
        var candidates: [(index: Int, state: Set<String>)] = [(-1, membership(shadow))]
        for (i, f) in lastRound.enumerated() {
            feed(f.text)
            candidates.append((i, membership(shadow)))
        }
        let floor = published.flatMap { p in lastRound.firstIndex { $0.time == p } } ?? -1
        return candidates.reversed().first { $0.index >= floor && $0.state == restored }?.index
    }

    /// The frames of the last round up to `index` are the service's history from now on.
    func keep(upTo index: Int) {
        if index >= 0 { kept += lastRound[0...index] }
        lastRound = []
    }

    private func membership(_ e: Engine) -> Set<String> {
        var out: Set<String> = []
        for id in walkers.map({ "P-\($0)" }) + ["P-D1", "P-D2", "P-D3", "P-D4"] {
            for stay in e.state(of: .person(id))?.stays ?? [] {
                let z = e.site.zones[stay.zone].id
                if Self.zones.contains(z) { out.insert("\(z)|\(id)|\(stay.since.milliseconds)") }
            }
        }
        return out
    }

    /// A round's sender and subscriber.
    final class Load: @unchecked Sendable {
        struct Published { var key: String; var frameTime: Instant? }
        private let lock = NSLock()
        private var sent: [(time: Instant, text: String)] = []
        private var published: [Published] = []
        private var stopping = false
        private let done = DispatchGroup()
        let push: Socket
        let sub: Socket

        init(world: CrashWorld, serve: ServeProcess, firstFrame: Int) throws {
            push = try world.context.socket(.push)
            try push.setLinger(0)
            try push.connect(serve.ingest)
            sub = try world.context.socket(.sub)
            try sub.setLinger(0)
            try sub.setReceiveTimeout(50)
            try sub.subscribe("")
            try sub.connect(serve.events)
            usleep(200_000)  // the slow joiner
            done.enter()
            Thread { [self] in
                var n = firstFrame
                var last = Instant(milliseconds: 0)
                while !isStopping {
                    var t = WallClock.now()
                    if t <= last { t = Instant(milliseconds: last.milliseconds + 1) }
                    last = t
                    let text = world.frame(n, at: t)
                    // Not waiting: once the service is killed, frames have nowhere to go.
                    guard (try? push.send(text, dontWait: true)) == true else { break }
                    lock.withLock { sent.append((t, text)) }
                    n += 1
                    usleep(20_000)
                }
                done.leave()
            }.start()
            done.enter()
            Thread { [self] in
                while !isStopping {
                    guard let frames = try? sub.receiveMessage(), frames.count == 2 else { continue }
                    record(String(decoding: frames[0], as: UTF8.self), frames[1])
                }
                // What was in flight when the service died was published all the same.
                while let frames = try? sub.receiveMessage(), frames.count == 2 {
                    record(String(decoding: frames[0], as: UTF8.self), frames[1])
                }
                done.leave()
            }.start()
        }

        private var isStopping: Bool { lock.withLock { stopping } }

        private func record(_ topic: String, _ body: [UInt8]) {
            guard topic.hasPrefix("violation.") || topic.hasPrefix("cleared."), let v = try? JSONText.parse(body),
                  let id = v["id"]?.stringValue, let state = v["state"]?.stringValue else { return }
            // Raised or cleared by a position: its time is its frame's.
            let byPosition = topic.hasSuffix(".restricted-zone")
            let t = byPosition ? v["t"]?.stringValue.flatMap(RFC3339.parse) : nil
            lock.withLock { published.append(Published(key: "\(id)|\(state)", frameTime: t)) }
        }

        /// Stops sending and listening; what was sent, and what was published.
        func finish() -> ([(time: Instant, text: String)], [Published]) {
            lock.withLock { stopping = true }
            done.wait()
            push.close()
            sub.close()
            return lock.withLock { (sent, published) }
        }
    }
}
