import CordonCore
import CordonService
import CordonStore
import CordonWire
import Foundation
import GRDB
import Testing
import ZeroMQ

/// What goes wrong around a running service, and what it does then: one clear message and a
/// defined behaviour, never a crash loop, never silent loss.
@Suite("failures: a full disk, a locked or corrupt database, a bad site file, a taken address, SIGTERM", .serialized)
struct FailureTests {
    /// Sixty contractors with inductions, for a burst of gate passages.
    static let crew: Value = [
        "op": "registry.upsert",
        "people": .array((0..<60).map { i in
            ["id": .string("P\(1000 + i)"), "name": .string("fitter \(i)"), "enterprise": "E03", "tag": .string("T\(5000 + i)")]
        }),
    ]

    @Test("the disk fills: gate decisions still go out at once marked not stored, store-failing is raised, acknowledgements and registry changes are carried out; when space returns all of it is stored with its own times")
    func diskFull() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(Self.crew)["ok"] == true)
        let store = try #require(h.service.pipeline.store)
        try store.capSize(extraPages: 0)
        let t0 = nowMs()
        for i in 0..<60 {
            try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 + Int64(i)),"direction":"in","person":"P\#(1000 + i)"}"#)
        }
        // Some passages may fit in the file's free pages; then a commit fails, and everything
        // still goes out, at once, marked not stored.
        var decisions: [String] = []
        var unstored = 0
        var failing: Value?
        try h.sub.setReceiveTimeout(3000)
        while decisions.count < 60 || failing == nil, let e = try h.nextEvent() {
            if e.topic == "violation.store-failing" { failing = e.body; continue }
            decisions.append(e.body["subject"]?["id"]?.stringValue ?? "?")
            if e.body["stored"] == false { unstored += 1 }
        }
        #expect(decisions == (0..<60).map { "P\(1000 + $0)" }, "every decision is made and published, in order")
        #expect(unstored >= 1, "the cap never bit")
        let raised = try #require(failing, "store-failing was not raised")
        #expect(raised["subject"]?["kind"] == "service" && raised["severity"] == "critical" && raised["stored"] == false)
        #expect(raised["details"]?["error"]?.stringValue?.contains("full") == true, "\(raised)")

        let ping = try h.request(["op": "ping"])
        #expect(ping["ok"] == false && ping["error"]?["code"] == "store-failing", "ping says the service is not well")
        #expect(ping["store"]?["ok"] == false && (ping["store"]?["held_events"]?.intValue ?? 0) >= 1)
        #expect(ping["counters"]?["accepted"]?["gate"] == 60)
        // Ingest is still read and decided.
        for i in 60..<80 {
            try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 + Int64(i)),"direction":"out","person":"P\#(1000 + i - 60)"}"#)
        }
        for _ in 60..<80 {
            let e = try #require(try h.nextEvent(), "a decision made while the disk is full was not published")
            #expect(e.topic == "access.G3" && e.body["stored"] == false)
            decisions.append(e.body["subject"]?["id"]?.stringValue ?? "?")
        }
        // The control room goes on working: an acknowledgement and a registry change are carried
        // out, say they are not stored yet, and are stored once the disk has room.
        let ack = try h.request(["op": "alarms.ack", "id": raised["id"] ?? .null, "by": "duty officer Li"])
        #expect(ack["ok"] == true && ack["stored"] == false, "\(ack)")
        let upsert = try h.request(["op": "registry.upsert", "people": [["id": "P2000", "name": "new fitter", "tag": "T9000"]]])
        #expect(upsert["ok"] == true && upsert["stored"] == false, "\(upsert)")

        // Space again: within the retry interval everything held is stored, store-failing is
        // cleared (stored before it is published, as usual), and ping is well again.
        try store.capSize(extraPages: nil)
        try h.sub.setReceiveTimeout(5000)  // the held writes are retried every 2 s
        var cleared: (topic: String, body: Value)?
        while cleared == nil, let e = try h.nextEvent() {
            if e.topic.hasSuffix("store-failing") { cleared = e }
        }
        #expect(cleared?.topic == "cleared.store-failing" && cleared?.body["stored"] == nil)
        #expect(try h.request(["op": "ping"])["ok"] == true)
        #expect(try store.passages(from: Instant(milliseconds: t0 - 1), until: Instant(milliseconds: t0 + 100), gate: "G3").count == 80,
                "every decision is in the store")
        let kept = try store.history(HistoryFilter(kind: "store-failing"))
        #expect(kept.map(\.step) == [.raised, .acknowledged, .cleared])
        #expect(kept.first { $0.step == .acknowledged }?.by == "duty officer Li")
        #expect(try store.loadRegistry().people.contains { $0.id == "P2000" }, "the registry change made while the disk was full is stored")
        #expect(kept.first?.id == raised["id"]?.stringValue)
        #expect(kept.first.map { $0.time.rfc3339 } == raised["t"]?.stringValue, "stored with its own time")
        let after = try h.waitForCounters { $0["published_unstored"]?.intValue ?? 0 >= 21 }
        #expect(after["store_failures"]?.intValue ?? 0 >= 1)
    }

    @Test("an emergency roll-call on a full disk: started, counted and ended as usual, each reply saying not stored; the report is in the store once space returns")
    func musterOnAFullDisk() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(Self.crew)["ok"] == true)
        let t0 = nowMs()
        for i in 0..<3 {
            try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 + Int64(i)),"direction":"in","person":"P\#(1000 + i)"}"#)
        }
        _ = try h.waitForCounters { $0["accepted"]?["gate"] == 3 }
        let store = try #require(h.service.pipeline.store)
        try store.capSize(extraPages: 0)
        // Fill the file's last free pages until a commit is refused.
        var n = 0
        while !h.service.pipeline.isHolding, n < 400 {
            try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 + 10 + Int64(n)),"direction":"\#(n % 2 == 0 ? "out" : "in")","person":"P1059"}"#)
            n += 1
            usleep(5_000)
        }
        #expect(h.service.pipeline.isHolding, "the cap never bit")

        let started = try h.request(["op": "muster.start", "mode": "emergency", "by": "commander Wang"])
        #expect(started["ok"] == true && started["stored"] == false, "\(started)")
        let id = try #require(started["muster"]?["id"]?.stringValue)
        #expect(try h.request(["op": "muster.mark", "person": "P1000", "by": "gate guard"])["ok"] == true)
        let ended = try h.request(["op": "muster.end", "by": "commander Wang"])
        #expect(ended["ok"] == true && ended["stored"] == false && ended["report"]?["started_by"] == "commander Wang")

        try store.capSize(extraPages: nil)
        let deadline = Date().addingTimeInterval(6)
        while h.service.pipeline.isHolding, Date() < deadline { usleep(50_000) }
        #expect(!h.service.pipeline.isHolding)
        h.service.pipeline.flush()
        let report = try #require(try store.loadState(key: Pipeline.musterReportKey(id)), "the report is stored")
        #expect(try JSONText.parse(report)["started_by"] == "commander Wang")
        let audit = try store.audit(from: Instant(milliseconds: t0 - 60_000), until: Instant(milliseconds: nowMs() + 60_000))
        #expect(audit.filter { $0.op.hasPrefix("muster.") }.map(\.op) == ["muster.start", "muster.mark", "muster.end"], "each is audited")
    }

    @Test("another process holds the database's write lock (an sqlite3 shell left in a transaction): decisions still go out, and are stored when it lets go")
    func lockedWhileRunning() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        #expect(try h.request(registry)["ok"] == true)
        let other = try DatabaseQueue(path: h.dataDirectory + "/cordon.sqlite")
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
            released.signal()
        }.start()
        locked.wait()
        let t = nowMs()
        try h.send(#"{"type":"gate","gate":"G3","t":\#(t),"direction":"in","person":"P0042"}"#)
        // The first commit waits out the store's one-second busy timeout, then gives up.
        try h.sub.setReceiveTimeout(2500)
        let decision = try #require(try h.nextEvent())
        #expect(decision.topic == "access.G3" && decision.body["stored"] == false)
        let ping = try h.request(["op": "ping"], timeoutMs: 5000)
        #expect(ping["store"]?["ok"] == false && ping["store"]?["error"]?.stringValue?.contains("lock") == true, "\(ping["store"] ?? .null)")
        release.signal()
        released.wait()
        try h.sub.setReceiveTimeout(5000)  // the held writes are retried every 2 s
        var topics: [String] = []
        while !topics.contains("cleared.store-failing"), let e = try h.nextEvent() { topics.append(e.topic) }
        #expect(topics.contains("violation.store-failing") && topics.last == "cleared.store-failing")
        let store = try #require(h.service.pipeline.store)
        #expect(try store.passages(from: Instant(milliseconds: t - 1), until: Instant(milliseconds: t + 1), gate: "G3").count == 1)
    }

    @Test("a corrupt database file stops serve at start with a message that says so, and changes nothing")
    func corruptAtStart() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: dir + "/cordon.sqlite"))
        var config = ServiceConfig(sitePath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path, dataDirectory: dir)
        config.ingest = "tcp://127.0.0.1:*"; config.events = "tcp://127.0.0.1:*"; config.control = "tcp://127.0.0.1:*"
        #expect {
            _ = try Service(config: config)
        } throws: { error in
            "\(error)".contains("not a database") && "\(error)".contains(dir)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/cordon.sqlite")) == garbage, "the file is left as it was, for a restore")
    }

    @Test("a garbage site file: refused at start with its problems; on reload the old site stays in force")
    func garbageSite() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let bad = dir + "/site.geojson"
        try Data("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1e400,0]]]}}".utf8)
            .write(to: URL(fileURLWithPath: bad))
        var config = ServiceConfig(sitePath: bad, dataDirectory: dir + "/data")
        config.ingest = "tcp://127.0.0.1:*"; config.events = "tcp://127.0.0.1:*"; config.control = "tcp://127.0.0.1:*"
        #expect(throws: ServiceError.self) { _ = try Service(config: config) }

        // Running on a good copy, the copy is overwritten with garbage and reloaded.
        let site = dir + "/good.geojson"
        try FileManager.default.copyItem(atPath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path, toPath: site)
        let h = try ServiceHarness(sitePath: site)
        defer { h.shutdown() }
        try Data("not json at all".utf8).write(to: URL(fileURLWithPath: site))
        let reload = try h.request(["op": "site.reload"])
        #expect(reload["ok"] == false && reload["error"]?["code"] == "invalid-site")
        #expect(try h.request(["op": "headcount", "zone": "Z-TANK-1"])["ok"] == true, "the old site is still in force")
    }

    @Test("an address already taken: serve refuses to start, naming it")
    func addressTaken() throws {
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let squatter = try ctx.socket(.pull)
        defer { squatter.close() }
        try squatter.bind("tcp://127.0.0.1:*")
        let taken = try #require(try squatter.lastEndpoint)
        var config = ServiceConfig(sitePath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path,
                                   dataDirectory: ServiceHarness.temporaryDirectory())
        config.ingest = taken; config.events = "tcp://127.0.0.1:*"; config.control = "tcp://127.0.0.1:*"
        #expect {
            _ = try Service(config: config)
        } throws: { error in
            "\(error)".contains(taken) && "\(error)".lowercased().contains("in use")
        }
    }

    @Test("the console's address already taken: serve stops with exit status 2, naming what to do")
    func httpAddressTaken() throws {
        let squatter = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(squatter) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        #expect(withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(squatter, $0, len) } } == 0)
        #expect(listen(squatter, 1) == 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(squatter, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        let child = try ServeProcess(site: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path,
                                     data: ServiceHarness.temporaryDirectory(), http: "127.0.0.1:\(port)")
        let status = child.exitStatus(within: 20)
        #expect(status == 2, "\(child.log)")
        #expect(child.log.contains("in use") && child.log.contains("--http"))
    }

    @Test("SIGTERM: what was accepted is flushed to the store, and the process exits 0 within 5 s")
    func sigterm() throws {
        let data = ServiceHarness.temporaryDirectory()
        let child = try ServeProcess(site: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path, data: data)
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        #expect(try child.request(registry, context: ctx)["ok"] == true)
        let push = try ctx.socket(.push)
        defer { push.close() }
        try push.setLinger(2000)
        try push.connect(child.ingest)
        // Twenty thousand positions of one worker walking the site, 6 m a step: every one is kept.
        let t0 = nowMs() - 30_000
        let steps = 20_000
        for i in 0..<steps / 100 {
            let batch = (0..<100).map { j -> String in
                let k = i * 100 + j
                return #"{"type":"position","tag":"T1001","t":\#(t0 + Int64(k)),"x":\#(200 + Double(k % 50) * 6),"y":\#(100 + Double(k / 50 % 20) * 6)}"#
            }
            _ = try push.send("[" + batch.joined(separator: ",") + "]")
        }
        // Up to 30 s for a loaded machine to take them all, whatever a single reply costs.
        var accepted = 0
        let deadline = Date().addingTimeInterval(30)
        while accepted != steps && Date() < deadline {
            accepted = (try? child.request(["op": "ping"], context: ctx, timeoutMs: 2000))?["counters"]?["accepted"]?["position"]?.intValue ?? accepted
            if accepted != steps { usleep(20_000) }
        }
        #expect(accepted == steps, "\(child.log)")
        let end = try #require(child.stop(signal: SIGTERM, timeout: 10), "did not exit within 10 s of SIGTERM")
        #expect(end.status == 0)
        #expect(end.seconds < 5, "took \(end.seconds) s")
        let store = try Store(directory: data)
        defer { try? store.close() }
        let kept = try store.track(subject: .person("P0001"), from: Instant(milliseconds: t0 - 1), until: Instant(milliseconds: t0 + Int64(steps)), limit: 100_000)
        #expect(kept.count == steps, "the track history lost what was accepted before SIGTERM")
    }
}
