import CordonCore
import CordonTestSupport
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// A real `cordon serve` whose store stops taking writes while people walk the park: the rules
/// must go on, the alarms must go out, the control room must be told, and when the store comes
/// back everything must be in it with its own time (docs/protocol.md, "Never blind").
@Suite("never blind: a real serve whose disk fills keeps raising alarms, says store-failing, and stores all of it when space returns",
       .serialized, .enabled(if: SmallDisk.mountable, "needs to mount a tmpfs (root, or CAP_SYS_ADMIN); skipped here"))
struct NeverBlindTests {
    static let site = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
    /// People who walk the yard south of the tank farm (no zone rules there) and fill the track history.
    static let walkers = 300

    static var crew: Value {
        var people: [Value] = (0..<walkers).map { i in
            ["id": .string("P-W\(i)"), "name": .string("walker \(i)"), "enterprise": "E01", "tag": .string("T-W\(i)")]
        }
        people += registry["people"]?.arrayValue ?? []
        return ["op": "registry.upsert", "people": .array(people)]
    }

    /// Every walker, one step further along a 60 m beat: six metres a step, so each position is
    /// a track point.
    static func frame(_ n: Int, at t: Int64) -> [UInt8] {
        var items: [String] = []
        items.reserveCapacity(walkers)
        for i in 0..<walkers {
            let x = -300.0 + Double(i % 60) * 5
            let y = -150.0 - Double(i / 60) * 10 + Double((n + i) % 10) * 6
            items.append(#"{"type":"position","tag":"T-W\#(i)","t":\#(t),"x":\#(x),"y":\#(y)}"#)
        }
        return Array(("[" + items.joined(separator: ",") + "]").utf8)
    }

    @Test("the disk fills under 300 walkers: a tank-farm entry after that is published within 1 s marked not stored, store-failing is raised, a gate passage is decided; grown again, all of it is stored with its time and nothing accepted is lost")
    func diskFills() throws {
        let disk = try SmallDisk(megabytes: 24)
        defer { disk.unmount() }
        let logDir = ServiceHarness.temporaryDirectory()
        let serve = try ServeProcess(site: Self.site, data: disk.path + "/data", log: logDir + "/serve.log")
        defer { serve.stop() }
        let context = try ZMQContext()
        defer { context.shutdown() }
        let events = try EventCollector(context: context, endpoint: serve.events)
        defer { events.stop() }
        let push = try context.socket(.push)
        defer { push.close() }
        try push.setLinger(2000)
        try push.connect(serve.ingest)
        #expect(try serve.request(Self.crew, context: context)["ok"] == true)
        _ = try push.send(Array(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 60_000),"direction":"in","person":"P0042","tag":"T1042"}"#.utf8))

        // Another process's files take the disk down to its last half megabyte; the walkers'
        // track history takes the rest.
        try disk.fill(leavingKiB: 512)
        var sent = 0, frames = 0
        var full: Date?
        var acceptedAtFull = 0
        let deadline = Date().addingTimeInterval(60)
        while full == nil, Date() < deadline {
            _ = try push.send(Self.frame(frames, at: nowMs()))
            frames += 1
            sent += Self.walkers
            Thread.sleep(forTimeInterval: 0.02)
            guard frames % 10 == 0 else { continue }
            let p = try serve.request(["op": "ping"], context: context)
            if p["store"]?["ok"] == false {
                full = Date()
                acceptedAtFull = p["counters"]?["accepted"]?["position"]?.intValue ?? 0
            }
        }
        let fullAt = try #require(full, "the disk never filled: \(serve.log.suffix(2000))")
        let raised = try #require(events.wait(for: "violation.store-failing", timeout: 2), "store-failing was not raised")
        #expect(raised.body["stored"] == false && raised.body["subject"]?["kind"] == "service" && raised.body["severity"] == "critical")
        let ping = try serve.request(["op": "ping"], context: context)
        #expect(ping["ok"] == false && ping["error"]?["code"] == "store-failing")

        // The rules still run: a contractor walks into the tank farm, a worker comes through a gate.
        let entryMs = nowMs()
        let entrySent = Date()
        _ = try push.send(Array(#"{"type":"position","tag":"T1042","t":\#(entryMs),"x":60,"y":250}"#.utf8))
        _ = try push.send(Array(#"{"type":"gate","gate":"G1","t":\#(entryMs),"direction":"in","person":"P-W7"}"#.utf8))
        let violation = try #require(events.wait(for: "violation.restricted-zone", timeout: 1), "no alarm within 1 s while the disk is full")
        #expect(violation.received.timeIntervalSince(entrySent) < 1)
        #expect(violation.body["stored"] == false && violation.body["subject"]?["id"] == "P0042")
        let decision = try #require(events.wait(for: "access.G1", timeout: 1), "the gate passage was not decided")
        #expect(decision.body["stored"] == false && decision.body["decision"] != nil)
        for _ in 0..<25 {  // half a second more of walking while the disk is full
            _ = try push.send(Self.frame(frames, at: nowMs()))
            frames += 1
            sent += Self.walkers
            Thread.sleep(forTimeInterval: 0.02)
        }
        let during = try serve.request(["op": "ping"], context: context)
        let failingSince = raised.received

        // Space again: within the 2 s retry everything held goes in, and store-failing clears.
        try disk.grow(megabytes: 256)
        let cleared = try #require(events.wait(for: "cleared.store-failing", timeout: 5), "store-failing did not clear: \(serve.log.suffix(2000))")
        #expect(cleared.body["stored"] == nil, "the clear is stored before it is published")
        let well = try serve.request(["op": "ping"], context: context)
        #expect(well["ok"] == true && well["store"]?["ok"] == true)
        #expect(well["counters"]?["accepted"]?["position"]?.intValue == sent + 1, "every position sent was accepted")
        #expect(well["counters"]?["dropped"] == 0, "nothing was dropped: \(well["counters"] ?? .null)")

        let history = try serve.request(["op": "history.violations", "kind": "restricted-zone", "subject": "P0042"], context: context)
        let stored = history["events"]?.arrayValue ?? []
        #expect(stored.first?["id"] == violation.body["id"] && stored.first?["t"] == violation.body["t"],
                "the alarm raised while the disk was full is stored with its own time: \(history)")
        let failing = try serve.request(["op": "history.violations", "kind": "store-failing"], context: context)
        #expect(failing["events"]?.arrayValue?.map { $0["step"]?.stringValue ?? "?" } == ["raised", "cleared"])
        let passage = try serve.request(["op": "history.passages", "gate": "G1"], context: context)
        #expect(passage["passages"]?.arrayValue?.count == 1, "the decision made while the disk was full is stored: \(passage)")
        let track = try serve.request(["op": "track", "person": "P-W7", "from": .time(Instant(milliseconds: entryMs - 100)),
                                       "until": .time(Instant(milliseconds: entryMs + 2000))], context: context)
        #expect((track["count"]?.intValue ?? 0) > 0, "track points taken while the disk was full are stored")
        // The first refused commit publishes its events at once, marked: the moment the disk filled.
        let firstRefusal = min(fullAt, events.all.first { $0.body["stored"] == false }?.received ?? fullAt)
        let raisedDuring = events.all.filter { $0.received >= failingSince && $0.received < cleared.received && $0.topic.hasPrefix("violation.") }
        print("never-blind figures: store-failing \(Int(raised.received.timeIntervalSince(firstRefusal) * 1000)) ms after the first refused commit; "
              + "\((during["counters"]?["accepted"]?["position"]?.intValue ?? 0) - acceptedAtFull)+ positions accepted while failing, \(raisedDuring.count) alarm(s) raised while failing, "
              + "held \(during["store"]?["held_events"]?.intValue ?? 0) event(s), \(during["store"]?["held_bytes"]?.intValue ?? 0) bytes; "
              + "all stored \(Int(cleared.received.timeIntervalSince(failingSince) * 1000)) ms after store-failing was raised")
        #expect(serve.stop(signal: SIGTERM, timeout: 10)?.status == 0)
    }

    @Test("a data directory made read-only (chmod) under a running serve changes nothing while it runs: its open files stay writable; the next start is refused with exit status 2")
    func chmodReadOnly() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let data = dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let nobody: UInt32 = 65534
        for p in [dir, data] { chown(p, nobody, nobody) }
        let serve = try ServeProcess(site: Self.site, data: data, log: dir + "/serve.log", user: nobody)
        let context = try ZMQContext()
        defer { context.shutdown() }
        let events = try EventCollector(context: context, endpoint: serve.events)
        defer { events.stop() }
        #expect(try serve.request(registry, context: context)["ok"] == true)
        let push = try context.socket(.push)
        defer { push.close() }
        try push.connect(serve.ingest)
        _ = try push.send(Array(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 60_000),"direction":"in","person":"P0042","tag":"T1042"}"#.utf8))
        _ = events.wait(for: "access.G3", timeout: 3)
        #expect(chmod(data, 0o555) == 0)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? [] { chmod(data + "/" + name, 0o444) }
        _ = try push.send(Array(#"{"type":"position","tag":"T1042","t":\#(nowMs()),"x":60,"y":250}"#.utf8))
        let violation = try #require(events.wait(for: "violation.restricted-zone", timeout: 2))
        #expect(violation.body["stored"] == nil, "written through the files serve already holds")
        #expect(try serve.request(["op": "ping"], context: context)["ok"] == true)
        #expect(serve.stop(signal: SIGTERM, timeout: 10)?.status == 0)

        let again = try ServeProcessStart.attempt(site: Self.site, data: data, log: dir + "/again.log", user: nobody)
        #expect(again.status == 2, "\(again.log)")
        #expect(again.log.contains("cannot open the store"), "\(again.log)")
        chmod(data, 0o755)
    }
}

/// Starts `serve` expecting it to refuse: its exit status and what it logged.
enum ServeProcessStart {
    static func attempt(site: String, data: String, log: String, user: UInt32) throws -> (status: Int32, log: String) {
        guard let binary = ServeProcess.binary else { throw ServeProcess.Failure.noBinary }
        let p = try ChildProcess("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", binary, "serve", "--site", site, "--data", data,
                                 "--ingest", "tcp://127.0.0.1:*", "--events", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*", "--http", "off"],
                             stderr: .file(log))
        let status = p.wait(within: 20) ?? p.stop(SIGTERM, within: 10).status
        return (status.code, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}

/// A filesystem of its own for a data directory that must fill: a tmpfs, grown on demand.
final class SmallDisk {
    let path: String
    private var mounted = true

    /// Whether this machine lets the tests mount one (they run as root in CI).
    static let mountable: Bool = {
        guard getuid() == 0 else { return false }
        guard let probe = try? SmallDisk(megabytes: 1) else { return false }
        probe.unmount()
        return true
    }()

    init(megabytes: Int) throws {
        path = ServiceHarness.temporaryDirectory()
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755", "tmpfs", path])
    }

    /// Grows the filesystem (space freed, the volume extended): the store can write again.
    func grow(megabytes: Int) throws {
        try Self.run("/bin/mount", ["-o", "remount,size=\(megabytes)m", path])
    }

    /// Fills it with a file of someone else's until `leavingKiB` remain.
    func fill(leavingKiB: Int) throws {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { throw Failure.command("statvfs \(path)") }
        let free = Int(s.f_bavail) * Int(s.f_frsize) - leavingKiB * 1024
        guard free > 0 else { return }
        guard FileManager.default.createFile(atPath: path + "/filler", contents: Data(count: free)) else {
            throw Failure.command("write \(free) bytes to \(path)/filler")
        }
    }

    func unmount() {
        guard mounted else { return }
        mounted = false
        try? Self.run("/bin/umount", ["-l", path])
    }

    deinit { unmount() }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let p = try ChildProcess.run(tool, arguments, within: 60)
        guard p.status == .exited(0) else { throw Failure.command("\(tool) \(arguments.joined(separator: " "))") }
    }

    enum Failure: Error { case command(String) }
}

/// Everything published on a SUB socket, with when it arrived, read on a thread of its own.
final class EventCollector: @unchecked Sendable {
    struct Event {
        var topic: String
        var body: Value
        var received: Date
    }

    private let lock = NSCondition()
    private var events: [Event] = []
    private var stopping = false
    private var stopped = false

    init(context: ZMQContext, endpoint: String) throws {
        let sub = try context.socket(.sub)
        try sub.subscribe("")
        try sub.setReceiveTimeout(100)
        try sub.connect(endpoint)
        Thread.sleep(forTimeInterval: 0.2)  // the subscription reaches the publisher
        Thread { [self] in
            while !lock.withLock({ stopping }) {
                guard let frames = (try? sub.receiveMessage()) ?? nil, frames.count == 2 else { continue }
                let topic = String(decoding: frames[0], as: UTF8.self)
                let body = (try? JSONText.parse(frames[1])) ?? .null
                lock.withLock {
                    events.append(Event(topic: topic, body: body, received: Date()))
                    lock.broadcast()
                }
            }
            sub.close()
            lock.withLock {
                stopped = true
                lock.broadcast()
            }
        }.start()
    }

    var all: [Event] { lock.withLock { events } }

    /// The first event on `topic`, waiting up to `timeout` seconds for it.
    func wait(for topic: String, timeout: Double) -> Event? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let e = events.first(where: { $0.topic == topic }) { return e }
            guard lock.wait(until: deadline) else { return events.first(where: { $0.topic == topic }) }
        }
    }

    func stop() {
        lock.lock()
        stopping = true
        while !stopped { lock.wait() }
        lock.unlock()
    }
}
