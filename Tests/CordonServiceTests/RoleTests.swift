import CordonCore
import CordonService
import CordonStore
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// A CURVE-secured service with one client of each role, as a park would run it: the RTLS
/// engine may only push, the lobby display may only watch, the control room acts, the
/// administrator reloads the site.
final class SecuredService: @unchecked Sendable {
    let server = try! ZMQCurve.keyPair()
    let rtls = try! ZMQCurve.keyPair()
    let display = try! ZMQCurve.keyPair()
    let console = try! ZMQCurve.keyPair()
    let admin = try! ZMQCurve.keyPair()
    let stranger = try! ZMQCurve.keyPair()
    let service: Service
    let dataDirectory = ServiceHarness.temporaryDirectory()
    let stop = StopFlag()
    let done = DispatchSemaphore(value: 0)
    let ctx: ZMQContext

    init() throws {
        var config = ServiceConfig(sitePath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path,
                                   dataDirectory: dataDirectory)
        config.ingest = "tcp://127.0.0.1:*"
        config.events = "tcp://127.0.0.1:*"
        config.control = "tcp://127.0.0.1:*"
        config.tickMilliseconds = 50
        config.curveSecretKey = server.secretKey
        let keys = """
            # the park's clients
            \(rtls.publicKey) ingest UWB engine hall 3
            \(display.publicKey)   viewer  lobby display   # read-only
            \(console.publicKey) operator duty officer Li
            \(admin.publicKey) admin site admin
            """
        config.curveClients = try ClientKeys.parse(keys, path: "allowed.keys")
        service = try Service(config: config)
        ctx = try ZMQContext()
        Thread { [service, stop, done] in service.run(until: stop); done.signal() }.start()
    }

    func shutdown() {
        stop.set()
        done.wait()
        ctx.shutdown()
    }

    func credentials(_ pair: (publicKey: String, secretKey: String)) throws -> ClientCurve {
        let file = dataDirectory + "/client-\(UUID().uuidString).key"
        try (pair.secretKey + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return try ClientCurve(serverKey: server.publicKey, secretKeyFile: file)
    }

    /// A control request as `pair`, nil when no reply came (refused by ZAP).
    func request(_ r: Value, as pair: (publicKey: String, secretKey: String), timeoutMs: Int = 700) throws -> Value? {
        let client = try ControlClient(endpoint: service.boundControl, curve: try credentials(pair), timeoutMilliseconds: timeoutMs, context: ctx)
        defer { client.close() }
        return client.request(r)
    }

    func push(_ text: String, as pair: (publicKey: String, secretKey: String)) throws {
        let s = try ctx.socket(.push)
        defer { s.close() }
        // A refused handshake leaves the message queued until linger runs out: it never arrives.
        try s.setLinger(300)
        try credentials(pair).secure(s)
        try s.connect(service.boundIngest)
        _ = try s.send(text)
        usleep(300_000)
    }

    func subscriber(as pair: (publicKey: String, secretKey: String)) throws -> Socket {
        let s = try ctx.socket(.sub)
        try s.setReceiveTimeout(800)
        try s.subscribe("")
        try credentials(pair).secure(s)
        try s.connect(service.boundEvents)
        return s
    }

    func acceptedPositions() throws -> Int {
        try request(["op": "ping"], as: admin)?["counters"]?["accepted"]?["position"]?.intValue ?? -1
    }
}

@Suite("roles: nobody does more than their role allows (docs/protocol.md, 'Transport')", .serialized)
struct RoleTests {
    @Test("ingest socket: the RTLS engine's and the admin's pushes are taken; the display's and a stranger's never arrive")
    func ingestSocket() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        let now = nowMs()
        try s.push(#"{"type":"position","tag":"T1001","t":\#(now),"x":60,"y":250}"#, as: s.rtls)
        try s.push(#"{"type":"position","tag":"T1002","t":\#(now),"x":60,"y":250}"#, as: s.display)
        try s.push(#"{"type":"position","tag":"T1003","t":\#(now),"x":60,"y":250}"#, as: s.stranger)
        try s.push(#"{"type":"position","tag":"T1004","t":\#(now),"x":60,"y":250}"#, as: s.admin)
        #expect(try s.acceptedPositions() == 2)
        #expect(try s.request(["op": "whereis", "tag": "T1002"], as: s.admin)?["ok"] == false, "the display's position was never taken")
    }

    @Test("events socket: the display and the console receive; the RTLS engine's key and a stranger's get nothing")
    func eventsSocket() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        #expect(try s.request(registry, as: s.console)?["ok"] == true)
        let subs = try [s.display, s.console, s.rtls, s.stranger].map { try s.subscriber(as: $0) }
        defer { for x in subs { x.close() } }
        usleep(400_000)
        try s.push(#"{"type":"alert","tag":"T1001","t":\#(nowMs()),"alert":"sos"}"#, as: s.rtls)
        let got = try subs.map { try $0.receiveMessage() != nil }
        #expect(got == [true, true, false, false])
    }

    @Test("control: each role gets its ops and a 'forbidden' naming the role needed beyond them; a stranger no reply")
    func controlOps() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        func code(_ r: Value, _ who: (publicKey: String, secretKey: String)) throws -> String? {
            let reply = try #require(try s.request(r, as: who))
            return reply["ok"] == true ? "ok" : reply["error"]?["code"]?.stringValue
        }
        #expect(try code(["op": "ping"], s.rtls) == "ok")
        #expect(try code(["op": "headcount"], s.rtls) == "forbidden")
        #expect(try code(["op": "headcount"], s.display) == "ok")
        #expect(try code(["op": "alarms.active"], s.display) == "ok")
        let ack = try #require(try s.request(["op": "alarms.ack", "id": "V-1"], as: s.display))
        #expect(ack["error"]?["code"] == "forbidden")
        #expect(ack["error"]?["message"]?.stringValue?.contains("operator") == true)
        #expect(try code(registry, s.display) == "forbidden")
        #expect(try code(registry, s.console) == "ok")
        let reload = try #require(try s.request(["op": "site.reload"], as: s.console))
        #expect(reload["error"]?["code"] == "forbidden" && reload["error"]?["message"]?.stringValue?.contains("admin") == true)
        #expect(try code(["op": "site.reload"], s.admin) == "ok")
        #expect(try s.request(["op": "ping"], as: s.stranger) == nil, "a key not on the list is refused by ZAP")
        // Nothing forbidden took effect: the display's registry was never applied (only the console's was).
        #expect(try code(["op": "registry.get", "person": "P0042"], s.display) == "ok")
    }

    @Test("a stranger whose key the service refused before it asked: the request is no reply within the client's timeout, never a wait without end")
    func refusedBeforeAsking() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        // The REQ socket connects, the service refuses the key, and only then is the request
        // sent: a REQ socket without a peer blocks in send unless sending has a timeout.
        let socket = try s.ctx.socket(.req)
        defer { socket.close() }
        try socket.setLinger(0)
        try socket.setSendTimeout(500)
        try s.credentials(s.stranger).secure(socket)
        try socket.connect(s.service.boundControl)
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Locked<Bool?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread { [socket] in
            let ok = (try? socket.send(JSONText.encodeBytes(["op": "ping"]))) ?? false
            sent.withLock { $0 = ok }
            done.signal()
        }.start()
        // Refused, the socket has no peer until libzmq's next attempt: sending then returns
        // false at the timeout (or true, taken by that attempt); without one it blocked for good.
        #expect(done.wait(timeout: .now() + 5) == .success, "send did not return within 5 s with a 500 ms send timeout")
        #expect(sent.withLock { $0 } != nil)
        // What the command line and the tests use gives up the same way.
        let start = Date()
        #expect(try s.request(["op": "ping"], as: s.stranger, timeoutMs: 700) == nil)
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test("'by' defaults to the caller's name: a mark without 'by' mid roll-call is credited to whoever sent it")
    func byDefaults() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        #expect(try s.request(registry, as: s.console)?["ok"] == true)
        try s.push(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 10_000),"direction":"in","person":"P0042","tag":"T1042"}"#, as: s.rtls)
        let start = try #require(try s.request(["op": "muster.start", "mode": "drill"], as: s.console))
        #expect(start["ok"] == true)
        let mark = try #require(try s.request(["op": "muster.mark", "person": "P0042"], as: s.console))
        #expect(mark["ok"] == true, "\(mark)")
        let status = try #require(try s.request(["op": "muster.status"], as: s.display))
        #expect(status["muster"]?["started_by"] == "duty officer Li")
        let marked = status["muster"]?["accounted_people"]?.arrayValue?.first
        #expect(marked?["id"] == "P0042" && marked?["marked_by"] == "duty officer Li")
    }

    @Test("every changing request is audited before its reply: who, when, op, request, result, refusals too")
    func audit() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        #expect(try s.request(registry, as: s.console)?["ok"] == true)
        _ = try s.request(["op": "site.reload"], as: s.display)
        _ = try s.request(["op": "alarms.ack", "id": "V-nothing"], as: s.console)
        _ = try s.request(["op": "headcount"], as: s.display)
        // The audit is stored by the time the reply is read: look in the file directly.
        let store = try Store(directory: s.dataDirectory)
        let rows = try store.audit(from: Instant(milliseconds: 0), until: Instant(milliseconds: nowMs() + 1000))
        try store.close()
        #expect(rows.map(\.op) == ["registry.upsert", "site.reload", "alarms.ack"], "read-only ops are not audited")
        #expect(rows.map(\.caller) == ["duty officer Li", "lobby display", "duty officer Li"])
        #expect(rows.map(\.ok) == [true, false, false])
        #expect(rows.map(\.errorCode) == [nil, "forbidden", "not-found"])
        #expect(rows[0].request.contains("\"by\":\"duty officer Li\"") && rows[0].result.contains("\"people\":2"))
        // And through the op: operators and admins may read it, a display may not.
        let list = try #require(try s.request(["op": "audit.list", "caller": "duty officer Li"], as: s.admin))
        #expect(list["count"] == 2 && list["entries"]?.arrayValue?.first?["request"]?["op"] == "registry.upsert")
        #expect(try s.request(["op": "audit.list"], as: s.display)?["error"]?["code"] == "forbidden")
    }

    @Test("a CLI client with the CURVE options reaches the secured service: import's and watch's sockets")
    func clientsWithCurve() throws {
        let s = try SecuredService()
        defer { s.shutdown() }
        // What `cordon import` does: one registry.upsert through ControlClient with the operator's key.
        let importer = try ControlClient(endpoint: s.service.boundControl, curve: try s.credentials(s.console), timeoutMilliseconds: 2000)
        #expect(importer.request(registry)?["ok"] == true)
        #expect(importer.request(["op": "registry.get", "person": "P0001"])?["person"]?["id"] == "P0001")
        // What `cordon watch` does: a SUB socket secured with ClientCurve.
        let watch = try s.subscriber(as: s.display)
        defer { watch.close() }
        usleep(400_000)
        try s.push(#"{"type":"alert","tag":"T1001","t":\#(nowMs()),"alert":"sos"}"#, as: s.rtls)
        #expect(try watch.receiveMessage()?.first.map { String(decoding: $0, as: UTF8.self) } == "violation.sos")
    }
}

@Suite("key files: a line that cannot be read stops the service at start, naming it")
struct KeyFileTests {
    let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"

    @Test("each malformed line is named with its number and what to write instead")
    func badLines() {
        let cases: [(String, String)] = [
            ("\(key)", "no role"),
            ("\(key) superuser Li", "unknown role 'superuser'"),
            ("\(key) operator", "no name"),
            ("short operator Li", "not a Z85 public key"),
            ("\(key) viewer A\n\(key) admin B", "listed twice"),
        ]
        for (text, expected) in cases {
            do {
                _ = try ClientKeys.parse("# header\n" + text, path: "keys")
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect("\(error)".contains("keys line"), "\(error)")
            }
        }
    }

    @Test("names keep their spaces; comments and blank lines are skipped")
    func goodFile() throws {
        let keys = try ClientKeys.parse("\n  # comment\n\(key) operator duty officer Li  # day shift\n\n", path: "keys")
        #expect(keys[key] == ClientKeys.Client(role: .operator, name: "duty officer Li"))
    }

    @Test("an unreadable key file is an error, not an empty list")
    func unreadable() {
        #expect(throws: ClientKeysError.self) { try ClientKeys.load(path: "/nonexistent/allowed.keys") }
        #expect(throws: ClientKeysError.self) { try KeyFile.readKey(path: "/nonexistent/server.key") }
    }
}
