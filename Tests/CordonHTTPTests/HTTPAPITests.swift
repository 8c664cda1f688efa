import CordonCore
import CordonHTTP
import CordonService
import CordonWire
import Foundation
import Testing

/// docs/protocol.md, "HTTP" against a real serve: paths, status codes, roles over HTTP.
@Suite(.serialized) struct HTTPAPITests {
    @Test func healthAndReadOnlyOpsAnswer() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        let health = try await h.json("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.body["ok"]?.boolValue == true)
        let alarms = try await h.json("GET", "/api/alarms.active")
        #expect(alarms.status == 200)
        #expect(alarms.body["count"]?.intValue != nil)
        let zone = try await h.json("GET", "/api/headcount?zone=Z-E01-CCR")
        #expect(zone.status == 200)
        #expect(zone.body["zone"]?["id"]?.stringValue == "Z-E01-CCR")
        let missing = try await h.json("GET", "/api/headcount?zone=NO-SUCH-ZONE")
        #expect(missing.status == 404)
        #expect(missing.body["error"]?["code"]?.stringValue == "not-found")
        let index = try await h.http("GET", "/")
        #expect(index.status == 200)
        #expect(String(decoding: index.body, as: UTF8.self).contains("/assets/leaflet/leaflet.js"))
        let leaflet = try await h.http("GET", "/assets/leaflet/leaflet.js")
        #expect(leaflet.status == 200, "Leaflet comes from Debian's libjs-leaflet: apt-get install libjs-leaflet")
    }

    /// A worker who collapsed sends nothing new for minutes: a console opened then must still
    /// show them where they lie, not wait for their next move.
    @Test func aMapThatOpensGetsEveryoneWhereTheyAreNow() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        let tank = try await h.centre(of: "Z-E01-TANK-1")
        try h.send([
            ["type": "position", "tag": "T1042", "x": .number(tank.x), "y": .number(tank.y)],
            ["type": "position", "tag": "T2101", "x": 10, "y": 10],
        ])
        let seen = try await h.eventually(5) {
            (try await h.json("GET", "/api/console/positions").body["positions"]?.arrayValue?.count ?? 0) == 2
        }
        #expect(seen)
        let reply = try await h.json("GET", "/api/console/positions")
        #expect(reply.status == 200)
        let byID = Dictionary(uniqueKeysWithValues: (reply.body["positions"]?.arrayValue ?? []).compactMap { p in
            p["subject"]?["id"]?.stringValue.map { ($0, p) }
        })
        #expect(byID["P0042"]?["subject"]?["kind"]?.stringValue == "person")
        let whereis = try await h.json("GET", "/api/whereis?person=P0042")
        #expect(byID["P0042"]?["zone"] == whereis.body["zones"]?.arrayValue?.first?["id"], "the first of the zones whereis gives")
        #expect(byID["P0042"]?["zone"] != nil)
        #expect(abs((byID["P0042"]?["x"]?.numberValue ?? 0) - tank.x) < 0.01)
        #expect(byID["P0101"]?["lon"]?.numberValue != nil && byID["P0101"]?["t"]?.stringValue != nil)
    }

    @Test func statusCodesFollowTheReply() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        #expect(try await h.json("POST", "/api/control", body: "{not json").status == 400)
        #expect(try await h.json("POST", "/api/control", body: #"{"op":"alarms.ack"}"#).status == 400)
        #expect(try await h.json("POST", "/api/control", body: #"{"op":"alarms.ack","id":"V-nope","by":"李"}"#).status == 404)
        #expect(try await h.json("POST", "/api/control", body: #"{"op":"no.such.op"}"#).status == 500)
        let ping = try await h.json("POST", "/api/control", body: #"{"op":"ping"}"#)
        #expect(ping.status == 200)
        #expect(ping.body["protocol"]?.stringValue == "v1")
        // A changing op is never a GET; every number is bounded before it is one.
        #expect(try await h.json("GET", "/api/muster.start?mode=drill").status == 400)
        #expect(try await h.json("GET", "/api/track?person=P1&limit=1e400").status == 400)
        #expect(try await h.json("GET", "/api/track?person=P1&from=99999999999999999999").status == 400)
        #expect(try await h.json("GET", "/api/track?person=P1&from=yesterday").status == 400)
        let track = try await h.json("GET", "/api/track?person=P1&limit=10")
        #expect(track.status == 200)
    }

    @Test func tokensGiveRolesAndNamesOverHTTP() async throws {
        let tokens = try TokenFile.parse("""
        # token role name
        viewer-token-0123456789 viewer 大屏
        operator-token-0123456789 operator 值班长 李明
        """)
        let h = try await ConsoleHarness(tokens: tokens)
        defer { h.shutdown() }
        #expect(try await h.json("GET", "/api/alarms.active").status == 401)
        #expect(try await h.json("GET", "/api/alarms.active", token: "wrong-token-0123456789").status == 401)
        #expect(try await h.json("GET", "/api/alarms.active", token: "viewer-token-0123456789").status == 200)
        #expect(try await h.http("GET", "/metrics").status == 401)
        #expect(try await h.http("GET", "/metrics", token: "viewer-token-0123456789").status == 200)
        #expect(try await h.http("GET", "/healthz").status == 200, "health checks need no token")
        let refused = try await h.json("POST", "/api/control", body: #"{"op":"muster.start","mode":"drill"}"#, token: "viewer-token-0123456789")
        #expect(refused.status == 403)
        #expect(refused.body["error"]?["code"]?.stringValue == "forbidden")
        let started = try await h.json("POST", "/api/control", body: #"{"op":"muster.start","mode":"drill"}"#, token: "operator-token-0123456789")
        #expect(started.status == 200)
        // 'by' defaults to the token's name, and the change is audited under it.
        let audit = try h.zmqControl(["op": "audit.list"])
        let entries = audit["entries"]?.arrayValue ?? audit["audit"]?.arrayValue ?? []
        #expect(entries.contains { $0["caller"]?.stringValue == "值班长 李明" && $0["op"]?.stringValue == "muster.start" }, "\(audit)")
    }

    @Test func theMusterReportComesAsCSV() async throws {
        let h = try await ConsoleHarness()
        defer { h.shutdown() }
        try h.loadRegistry()
        try h.send([["type": "gate", "gate": "G3", "direction": "in", "person": "P0042"]])
        #expect(try await h.eventually { try h.zmqControl(["op": "presence", "list": false])["by_kind"]?["person"]?.intValue == 1 })
        #expect(try await h.json("GET", "/api/console/muster.csv").status == 404, "no muster running")
        #expect(try await h.json("POST", "/api/control", body: #"{"op":"muster.start","mode":"drill"}"#).status == 200)
        let running = try await h.http("GET", "/api/console/muster.csv")
        #expect(running.status == 200)
        let text = String(decoding: running.body, as: UTF8.self)
        #expect(text.hasPrefix("id,name,enterprise,status"))
        #expect(text.contains("P0042,赵强,E01,missing"))
        let ended = try await h.json("POST", "/api/control", body: #"{"op":"muster.end"}"#)
        #expect(ended.status == 200)
        let report = try await h.http("POST", "/api/console/muster.csv", body: JSONText.encode(ended.body))
        #expect(report.status == 200)
        #expect(String(decoding: report.body, as: UTF8.self).contains("P0042,赵强,E01,missing"))
    }

    @Test func addressesAndTokenFilesAreChecked() throws {
        #expect(try HTTPOptions.parseAddress("off") == nil)
        #expect(try HTTPOptions.parseAddress("127.0.0.1:7080")?.port == 7080)
        #expect(try HTTPOptions.parseAddress("[::1]:80")?.host == "::1")
        #expect(throws: HTTPSetupError.self) { try HTTPOptions.parseAddress("7080") }
        #expect(throws: HTTPSetupError.self) { try HTTPOptions.parseAddress("0.0.0.0:99999") }
        var o = HTTPOptions(consoleDirectory: "/nonexistent")
        o.host = "0.0.0.0"
        #expect(throws: HTTPSetupError.self) { try o.validate() }
        o.allowInsecureBind = true
        try o.validate()
        #expect(throws: HTTPSetupError.self) { try TokenFile.parse("short viewer x") }
        #expect(throws: HTTPSetupError.self) { try TokenFile.parse("0123456789abcdefgh superuser x") }
        #expect(try TokenFile.parse("0123456789abcdefgh admin Wang Wei").callers["0123456789abcdefgh"]?.name == "Wang Wei")
    }
}
