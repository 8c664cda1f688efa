import CordonCore
import CordonService
import CordonStore
import CordonTestSupport
import CordonWire
import Foundation
import Testing
import ZeroMQ

/// Forwarding to a platform that misbehaves (docs/forwarding.md): a real HTTP receiver on
/// loopback that answers 500, drops connections, and goes away, while contractors walk in and
/// out of the tank farm. Every alarm must arrive, in order per subject, signed, none lost;
/// a duplicate only ever with the same `msg_id`.
@Suite("forwarding: every alarm reaches a platform that answers 500, drops connections and goes away", .serialized)
struct ForwardingTests {
    static let people = 8

    static var crew: Value {
        ["op": "registry.upsert", "people": .array((0..<people).map { i in
            ["id": .string("P\(1000 + i)"), "name": .string("fitter \(i)"), "enterprise": "E03", "tag": .string("T\(5000 + i)")]
        })]
    }

    /// The shared secret of the platform, in a file as serve reads it.
    static func secret(in dir: String) throws -> String {
        let path = dir + "/province.secret"
        try "a-shared-secret-of-the-province-0123".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Everyone steps into the tank farm (no permit: restricted-zone) or back out of it.
    static func round(_ h: ServiceHarness, inside: Bool) throws {
        let t = nowMs()
        let items = (0..<people).map { i in
            #"{"type":"position","tag":"T\#(5000 + i)","t":\#(t),"x":\#(inside ? 60 + Double(i) : -200),"y":\#(inside ? 250 : -150)}"#
        }
        try h.send("[" + items.joined(separator: ",") + "]")
    }

    @Test("500s, dropped connections and a receiver gone for seconds: every raise, clear and acknowledgement arrives once per msg_id, in order per subject, signed")
    func throughOutages() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = try Self.secret(in: dir)
        var receiver = try Receiver(secret: secret, log: dir + "/received.jsonl")
        defer { receiver.stop() }
        let destinations: Value = [[
            "id": "province", "kind": "http", "url": .string("http://127.0.0.1:\(receiver.port)/api/eventsData"),
            "secret_file": .string(secret), "types": ["alarm.*"], "max_backoff_s": 1, "park": "PARK-37",
        ]]
        try JSONText.encode(destinations).write(toFile: dir + "/forwarding.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/forwarding.json" })
        defer { h.shutdown() }
        let events = try EventCollector(context: h.client, endpoint: h.service.boundEvents)
        defer { events.stop() }
        #expect(try h.request(Self.crew)["ok"] == true)
        let t0 = nowMs()
        for i in 0..<Self.people {
            try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 - 60_000 + Int64(i)),"direction":"in","person":"P\#(1000 + i)"}"#)
        }

        try receiver.set(mode: "500")
        try Self.round(h, inside: true)
        Thread.sleep(forTimeInterval: 1.5)
        try receiver.set(mode: "close")
        try Self.round(h, inside: false)
        Thread.sleep(forTimeInterval: 1.5)
        receiver.stop()  // gone
        try Self.round(h, inside: true)
        _ = events.wait(for: "violation.restricted-zone", timeout: 3)
        Thread.sleep(forTimeInterval: 0.5)
        // One of the alarms raised just now (they are up: everyone is inside again).
        let raised = try #require(events.all.last { $0.topic == "violation.restricted-zone" })
        let ack = try h.request(["op": "alarms.ack", "id": raised.body["id"] ?? .null, "by": "duty officer Li"])
        #expect(ack["ok"] == true)
        let during = try h.request(["op": "forward.status"])
        let province = during["destinations"]?.arrayValue?.first
        #expect((province?["backlog"]?.intValue ?? 0) > 0 && province?["last_error"] != nil, "\(during)")
        Thread.sleep(forTimeInterval: 2)
        receiver = try Receiver(secret: secret, log: dir + "/received.jsonl", port: receiver.port)  // back
        try Self.round(h, inside: false)

        // What was said on SUB, alarm by alarm, is what the platform must get.
        Thread.sleep(forTimeInterval: 0.5)
        let alarms = events.all.filter { $0.topic.hasPrefix("violation.") || $0.topic.hasPrefix("cleared.") }
        let expected = alarms.count + 1  // and the acknowledgement
        #expect(alarms.count >= 4 * Self.people)
        var received: [Value] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            received = receiver.received()
            if Set(received.compactMap { $0["msg_id"]?.stringValue }).count >= expected { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let unique = Dictionary(received.map { ($0["msg_id"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(unique.count == expected, "\(unique.count) of \(expected) arrived")
        // One msg_id per alarm step: duplicates are only ever retries of the same message.
        var stepIDs: [String: String] = [:]
        for m in received {
            let key = "\(m["type"]?.stringValue ?? "")|\(m["body"]?["id"]?.stringValue ?? "")|\(m["occurred_at"]?.stringValue ?? "")"
            if let seen = stepIDs[key] { #expect(seen == m["msg_id"]?.stringValue, "one step, two msg_ids: \(key)") }
            stepIDs[key] = m["msg_id"]?.stringValue
        }
        // Every alarm published is there, and in the order published for each subject.
        for subject in Set(alarms.compactMap { $0.body["subject"]?["id"]?.stringValue }) {
            let published = alarms.filter { $0.body["subject"]?["id"]?.stringValue == subject }
                .map { "\($0.topic.hasPrefix("violation.") ? "alarm.raised" : "alarm.cleared") \($0.body["id"]?.stringValue ?? "")" }
            var seen: Set<String> = []
            let arrived = received.filter { $0["body"]?["subject"]?["id"]?.stringValue == subject && $0["type"] != "alarm.acknowledged" }
                .compactMap { m -> String? in
                    guard let id = m["msg_id"]?.stringValue, seen.insert(id).inserted else { return nil }
                    return "\(m["type"]?.stringValue ?? "") \(m["body"]?["id"]?.stringValue ?? "")"
                }
            #expect(arrived == published, "\(subject): published \(published), arrived \(arrived)")
        }
        let acked = received.first { $0["type"] == "alarm.acknowledged" }
        #expect(acked?["body"]?["acknowledged"]?["by"] == "duty officer Li" && acked?["body"]?["id"] == raised.body["id"])
        let first = try #require(received.first)
        #expect(first["v"] == 1 && first["site"] == "scenario-park" && first["park"] == "PARK-37" && first["seq"] != nil && first["sent_at"] != nil)
        #expect(first["body"]?["subject"]?["name"] == nil, "no names unless the destination is configured for them")
        #expect(first["body"]?["content"]?.stringValue?.contains("闯入限制区域") == true, "\(first)")
        // Delivered messages leave the outbox right after the platform's answer.
        var after = try h.request(["op": "forward.status"])
        let drained = Date().addingTimeInterval(5)
        while after["destinations"]?.arrayValue?.first?["backlog"] != 0, Date() < drained {
            Thread.sleep(forTimeInterval: 0.1)
            after = try h.request(["op": "forward.status"])
        }
        #expect(after["destinations"]?.arrayValue?.first?["backlog"] == 0 && after["destinations"]?.arrayValue?.first?["given_up"] == 0, "\(after)")
    }

    @Test("a destination that refuses a message for good (4xx) gives it up at once, keeps it, goes on with the next, and raises forwarding-failed once")
    func finalRefusal() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = dir + "/s"
        try "the-receiver-knows-another-secret".write(toFile: dir + "/other", atomically: true, encoding: .utf8)
        try "this-is-cordons-own-shared-secret".write(toFile: secret, atomically: true, encoding: .utf8)
        let receiver = try Receiver(secret: dir + "/other", log: dir + "/received.jsonl")  // answers 401 to every signature
        defer { receiver.stop() }
        let list: Value = [["id": "park", "kind": "http", "url": .string("http://127.0.0.1:\(receiver.port)/in"), "secret_file": .string(secret),
                            "types": ["alarm.raised"]]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        let events = try EventCollector(context: h.client, endpoint: h.service.boundEvents)
        defer { events.stop() }
        #expect(try h.request(Self.crew)["ok"] == true)
        try Self.round(h, inside: true)
        var status: Value = .null
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            status = try h.request(["op": "forward.status"])
            let d = status["destinations"]?.arrayValue?.first
            // Everyone's raise given up, and nothing left (forwarding-failed's own message included).
            if d?["given_up"]?.intValue ?? 0 >= Self.people, d?["backlog"] == 0 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let park = status["destinations"]?.arrayValue?.first
        #expect(park?["backlog"] == 0 && (park?["given_up"]?.intValue ?? 0) >= Self.people, "\(status)")
        #expect(park?["last_error"]?.stringValue?.contains("401") == true)
        #expect(receiver.received().isEmpty)
        let failed = try #require(events.wait(for: "violation.forwarding-failed", timeout: 2), "forwarding-failed was not raised")
        #expect(failed.body["subject"]?["id"] == "forwarding:park" && failed.body["details"]?["reason"]?.stringValue?.contains("401") == true)
        #expect(events.all.filter { $0.topic == "violation.forwarding-failed" }.count == 1, "one alarm per destination until acknowledged")
        let ack = try h.request(["op": "alarms.ack", "id": failed.body["id"] ?? .null, "by": "duty officer Li"])
        #expect(ack["ok"] == true)
        #expect(events.wait(for: "cleared.forwarding-failed", timeout: 2) != nil, "an event: it ends when acknowledged")

        // What the operator reads from `cordon forward status`.
        let binary = try #require(ServeProcess.binary)
        let cli = try ChildProcess.run(binary, ["forward", "status", "--control", h.service.boundControl], within: 60)
        let printed = cli.text
        #expect(cli.status == .exited(0))
        #expect(printed.hasPrefix("park (http): backlog 0") && printed.contains("GIVEN UP ") && printed.contains("last error"), "\(printed)")
        #expect(printed.contains("HTTP 401"), "\(printed)")
    }

    @Test("serve is killed (SIGKILL) with a backlog for a platform that is down: after the restart the backlog drains and nothing is missing")
    func backlogSurvivesSIGKILL() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = try Self.secret(in: dir)
        let probe = try Receiver(secret: secret, log: dir + "/received.jsonl")
        let port = probe.port
        probe.stop()  // the platform is down from the start
        let list: Value = [["id": "province", "kind": "http", "url": .string("http://127.0.0.1:\(port)/in"), "secret_file": .string(secret),
                            "types": ["alarm.*"], "max_backoff_s": 1]]
        try JSONText.encode(list).write(toFile: dir + "/forwarding.json", atomically: true, encoding: .utf8)
        let site = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        let context = try ZMQContext()
        defer { context.shutdown() }
        let serve = try ServeProcess(site: site, data: dir + "/data", extra: ["--forwarding", dir + "/forwarding.json"])
        let events = try EventCollector(context: context, endpoint: serve.events)
        #expect(try serve.request(Self.crew, context: context)["ok"] == true)
        let push = try context.socket(.push)
        defer { push.close() }
        try push.setLinger(1000)
        try push.connect(serve.ingest)
        let t = nowMs()
        let frame = (0..<Self.people).map { i in #"{"type":"position","tag":"T\#(5000 + i)","t":\#(t),"x":\#(60 + Double(i)),"y":250}"# }
        _ = try push.send(Array(("[" + frame.joined(separator: ",") + "]").utf8))
        var backlog = 0
        let deadline = Date().addingTimeInterval(10)
        while backlog < Self.people, Date() < deadline {
            backlog = try serve.request(["op": "forward.status"], context: context)["destinations"]?.arrayValue?.first?["backlog"]?.intValue ?? 0
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(backlog >= Self.people, "the outbox holds the alarms while the platform is down")
        let published = Set(events.all.filter { $0.topic.hasPrefix("violation.") }.compactMap { $0.body["id"]?.stringValue })
        events.stop()
        serve.kill()

        let receiver = try Receiver(secret: secret, log: dir + "/received.jsonl", port: port)  // back
        defer { receiver.stop() }
        let again = try ServeProcess(site: site, data: dir + "/data", extra: ["--forwarding", dir + "/forwarding.json"])
        defer { again.stop() }
        var arrived: Set<String> = []
        let drained = Date().addingTimeInterval(20)
        while !published.isSubset(of: arrived), Date() < drained {
            arrived = Set(receiver.received().filter { $0["type"] == "alarm.raised" }.compactMap { $0["body"]?["id"]?.stringValue })
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(published.count >= Self.people && published.isSubset(of: arrived), "published \(published.count), arrived \(arrived.count)")
        var status: Value = .null
        for _ in 0..<50 {
            status = try again.request(["op": "forward.status"], context: context)
            if status["destinations"]?.arrayValue?.first?["backlog"] == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(status["destinations"]?.arrayValue?.first?["backlog"] == 0, "\(status)")
    }

    @Test("a ZeroMQ PUSH destination: alarms wait in the outbox while no platform is connected, and arrive in order once one binds")
    func zeromqDestination() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let context = try ZMQContext()
        defer { context.shutdown() }
        let probe = try context.socket(.pull)
        try probe.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(try probe.lastEndpoint)
        probe.close()  // the platform is not there yet
        let list: Value = [["id": "park-bus", "kind": "zmq", "endpoint": .string(endpoint), "types": ["alarm.raised"], "max_backoff_s": 1]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        #expect(try h.request(Self.crew)["ok"] == true)
        try Self.round(h, inside: true)
        var backlog = 0
        let deadline = Date().addingTimeInterval(5)
        while backlog < Self.people, Date() < deadline {
            backlog = try h.request(["op": "forward.status"])["destinations"]?.arrayValue?.first?["backlog"]?.intValue ?? 0
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(backlog >= Self.people, "nothing is handed to a socket with no platform behind it")

        let pull = try context.socket(.pull)
        defer { pull.close() }
        try pull.setReceiveTimeout(5000)
        try pull.bind(endpoint)  // the platform comes up
        var got: [Value] = []
        while got.count < backlog, let frame = try pull.receive() { got.append(try JSONText.parse(frame.bytes)) }
        #expect(got.count == backlog)
        #expect(got.allSatisfy { $0["type"] == "alarm.raised" && $0["v"] == 1 && $0["msg_id"]?.stringValue?.hasPrefix("F-") == true })
        #expect(got.compactMap { $0["seq"]?.intValue } == Array(1...got.count), "in order, seq by seq")
        #expect(Set(got.compactMap { $0["body"]?["subject"]?["id"]?.stringValue }).count >= Self.people)
    }

    @Test("headcount snapshots: every snapshot_s, per zone with total, enterprises and contractors; under backlog the latest wins and the replaced ones are counted")
    func headcountSnapshots() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = try Self.secret(in: dir)
        let receiver = try Receiver(secret: secret, log: dir + "/received.jsonl")
        defer { receiver.stop() }
        try receiver.set(mode: "500")
        let list: Value = [["id": "province", "kind": "http", "url": .string("http://127.0.0.1:\(receiver.port)/in"), "secret_file": .string(secret),
                            "types": ["headcount.snapshot"], "snapshot_s": 1, "max_backoff_s": 1]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        let people: Value = ["op": "registry.upsert", "people": [
            ["id": "P1", "name": "甲", "enterprise": "E03", "tag": "T1", "contractor": true],
            ["id": "P2", "name": "乙", "enterprise": "E03", "tag": "T2", "contractor": true],
            ["id": "P3", "name": "丙", "enterprise": "E01", "tag": "T3"],
        ]]
        #expect(try h.request(people)["ok"] == true)
        let t = nowMs()
        try h.send(#"[{"type":"position","tag":"T1","t":\#(t),"x":60,"y":250},{"type":"position","tag":"T2","t":\#(t),"x":62,"y":250},{"type":"position","tag":"T3","t":\#(t),"x":64,"y":250}]"#)
        Thread.sleep(forTimeInterval: 3.5)  // three or four snapshots fall due while the platform answers 500
        try receiver.set(mode: "ok")
        var got: [Value] = []
        let deadline = Date().addingTimeInterval(8)
        while Date() < deadline {
            got = receiver.received()
            if got.contains(where: { $0["body"]?["zones"]?.arrayValue?.contains { $0["id"] == "Z-TANK-1" } == true }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let snapshot = try #require(got.last { $0["body"]?["zones"]?.arrayValue?.contains { $0["id"] == "Z-TANK-1" } == true })
        #expect(snapshot["type"] == "headcount.snapshot")
        let tank = try #require(snapshot["body"]?["zones"]?.arrayValue?.first { $0["id"] == "Z-TANK-1" })
        #expect(tank["total"] == 3 && tank["contractors"] == 2 && tank["by_enterprise"]?["E03"] == 2 && tank["by_enterprise"]?["E01"] == 1, "\(tank)")
        let status = try h.request(["op": "forward.status"])
        #expect((status["destinations"]?.arrayValue?.first?["coalesced_since_start"]?.intValue ?? 0) >= 1, "\(status)")
    }

    @Test("a hazmat truck on its booking: its position every vehicle_interval_s with cargo, speed and heading (latest wins per truck while the platform is down), its alarms as vehicle.alarm")
    func hazmatVehicles() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = try Self.secret(in: dir)
        let receiver = try Receiver(secret: secret, log: dir + "/received.jsonl")
        defer { receiver.stop() }
        try receiver.set(mode: "500")
        let list: Value = [["id": "transport", "kind": "http", "url": .string("http://127.0.0.1:\(receiver.port)/in"), "secret_file": .string(secret),
                            "types": ["vehicle.*"], "vehicle_interval_s": 1, "max_backoff_s": 1]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        let events = try EventCollector(context: h.client, endpoint: h.service.boundEvents)
        defer { events.stop() }
        // A car of the staff is no hazmat vehicle: never sent.
        #expect(try h.request(["op": "registry.upsert", "vehicles": [["plate": "鲁E00009", "kind": "staff", "enterprise": "E01"]]])["ok"] == true)
        let t0 = nowMs()
        try GateServeTests.hazmatTruckEnters(h, before: t0)
        try h.send(#"{"type":"position","plate":"鲁E00009","t":\#(t0 - 1_000),"x":120,"y":40}"#)
        Thread.sleep(forTimeInterval: 3.2)  // three rounds fall due while the platform answers 500
        // Into the tank farm, where vehicles are forbidden.
        try h.send(#"{"type":"position","plate":"鲁E12345","t":\#(nowMs()),"x":70,"y":250,"speed_kmh":8}"#)
        let alarm = try #require(events.wait(for: "violation.forbidden-area", timeout: 5))
        try receiver.set(mode: "ok")
        var got: [Value] = []
        let deadline = Date().addingTimeInterval(8)
        while Date() < deadline {
            got = receiver.received()
            if got.contains(where: { $0["type"] == "vehicle.alarm" }) && got.contains(where: { $0["body"]?["zones"]?.arrayValue?.contains("Z-TANK-1") == true }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(got.allSatisfy { $0["body"]?["plate"] != "鲁E00009" && $0["body"]?["subject"]?["id"] != "鲁E00009" })
        let positions = got.filter { $0["type"] == "vehicle.position" }
        let inTank = try #require(positions.last { $0["body"]?["zones"]?.arrayValue?.contains("Z-TANK-1") == true })
        #expect(inTank["body"]?["plate"] == "鲁E12345" && inTank["body"]?["booking"] == "B0001" && inTank["enterprise"] == "E02")
        #expect(inTank["body"]?["cargo"]?["un"] == "1203" && inTank["body"]?["cargo"]?["class"] == "3")
        // From (200, 34) to (70, 250): north-north-west.
        #expect(inTank["body"]?["speed_kmh"] == 8 && inTank["body"]?["heading_deg"] == 329, "\(inTank)")
        #expect(inTank["body"]?["content"]?.stringValue?.hasPrefix("【危化品车辆位置】鲁E12345 UN1203（3 类）8 km/h @ Z-TANK-1") == true, "\(inTank)")
        let vehicleAlarm = try #require(got.first { $0["type"] == "vehicle.alarm" })
        #expect(vehicleAlarm["body"]?["id"] == alarm.body["id"] && vehicleAlarm["body"]?["kind"] == "forbidden-area" && vehicleAlarm["body"]?["state"] == "raised")
        #expect(vehicleAlarm["body"]?["content"]?.stringValue?.contains("禁行区域·告警") == true, "\(vehicleAlarm)")
        // The three rounds queued while the platform answered 500 replaced each other (and the
        // round after the truck moved replaced them too): at most one position of the fix
        // before it went out.
        let outage = positions.filter { $0["body"]?["zones"]?.arrayValue?.contains("Z-TANK-1") != true }
        #expect(outage.count <= 1, "\(outage.count) positions of the outage arrived")
        let status = try h.request(["op": "forward.status"])
        #expect((status["destinations"]?.arrayValue?.first?["coalesced_since_start"]?.intValue ?? 0) >= 2, "\(status)")
    }

    @Test("a running muster's status goes out every snapshot_s, without people's names; none when no muster runs")
    func musterStatus() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let secret = try Self.secret(in: dir)
        let receiver = try Receiver(secret: secret, log: dir + "/received.jsonl")
        defer { receiver.stop() }
        let list: Value = [["id": "city", "kind": "http", "url": .string("http://127.0.0.1:\(receiver.port)/in"), "secret_file": .string(secret),
                            "types": ["muster.status"], "snapshot_s": 1]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        #expect(try h.request(Self.crew)["ok"] == true)
        let t = nowMs()
        for i in 0..<3 { try h.send(#"{"type":"gate","gate":"G3","t":\#(t + Int64(i)),"direction":"in","person":"P\#(1000 + i)"}"#) }
        _ = try h.waitForCounters { $0["accepted"]?["gate"] == 3 }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(receiver.received().isEmpty, "no muster, no muster.status")
        #expect(try h.request(["op": "muster.start", "mode": "emergency", "by": "commander Wang"])["ok"] == true)
        var got: Value?
        let deadline = Date().addingTimeInterval(5)
        while got == nil, Date() < deadline {
            got = receiver.received().last { $0["type"] == "muster.status" }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let status = try #require(got)
        #expect(status["body"]?["total"] == 3 && status["body"]?["accounted"] == 0, "\(status)")
        let missing = status["body"]?["missing_people"]?.arrayValue ?? []
        #expect(missing.count == 3 && missing.allSatisfy { $0["name"] == nil && $0["id"] != nil }, "\(missing)")
        #expect(status["body"]?["content"]?.stringValue?.contains("应急点名") == true)
    }

    @Test("forwarding settings that cannot work stop serve at start, naming the member")
    func badSettings() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let cases: [(Value, String)] = [
            ([["id": "x", "kind": "http", "url": "ftp://host/x", "secret_file": "/nonexistent", "types": ["alarm.*"]]], "'url'"),
            ([["id": "x", "kind": "http", "url": "http://host/x", "secret_file": "/nonexistent", "types": ["alarm.*"]]], "cannot read the secret file"),
            ([["id": "x", "kind": "carrier-pigeon", "types": ["alarm.*"]]], "kind 'carrier-pigeon'"),
            ([["id": "x", "kind": "http", "url": "http://host/x", "secret_file": "/nonexistent", "types": ["alarm.*"], "colour": "red"]], "unknown member 'colour'"),
            // A key file that never ends is refused, not read.
            ([["id": "x", "kind": "http", "url": "http://host/x", "secret_file": "/dev/zero", "types": ["alarm.*"]]], "larger than 4 KiB"),
            ([["id": "x", "kind": "zmq", "endpoint": "tcp://127.0.0.1:1", "types": ["alarm.*"], "give_up_h": 1e308]], "'give_up_h'"),
            ([["id": "x", "kind": "zmq", "endpoint": "tcp://127.0.0.1:1", "types": ["alarm.*"], "snapshot_s": -1]], "'snapshot_s'"),
        ]
        for (list, needle) in cases {
            try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
            var config = ServiceConfig(sitePath: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path, dataDirectory: dir + "/data")
            config.ingest = "tcp://127.0.0.1:*"; config.events = "tcp://127.0.0.1:*"; config.control = "tcp://127.0.0.1:*"
            config.forwardingFile = dir + "/f.json"
            #expect { _ = try Service(config: config) } throws: { "\($0)".contains(needle) }
        }
    }
}

/// A Python receiver (`Receivers/forward_receiver.py` for the generic profile,
/// `Receivers/mem_receiver.py` for mem) as a child process.
struct Receiver {
    let process: ChildProcess
    let port: Int
    let log: String

    init(secret: String, log: String, port: Int = 0) throws {
        try self.init(script: "forward_receiver.py", arguments: [secret], log: log, port: port)
    }

    init(script name: String, arguments: [String], log: String, port: Int = 0) throws {
        self.log = log
        let (process, ports) = try Self.start(script: name, arguments: arguments + [log, "\(port)"])
        guard let p = ports.first else { throw Failure.noPort("") }
        self.process = process
        self.port = p
    }

    /// Starts `Receivers/<script>` under python3 and returns it with the ports it prints on its
    /// first line (read whole, however the pipe splits it under load; 20 s at most).
    static func start(script name: String, arguments: [String]) throws -> (ChildProcess, [Int]) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receivers/" + name).path
        let process = try ChildProcess("/usr/bin/env", ["python3", script] + arguments, stdout: .pipe)
        let line = try process.firstLine(within: 20)
        let ports = line.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        guard !ports.isEmpty else { throw Failure.noPort(line) }
        return (process, ports)
    }

    func set(mode: String) throws {
        guard let answer = try? LoopbackHTTP.get(port: port, path: "/mode?set=\(mode)"), answer.status == 200 else {
            throw Failure.noAnswer(mode)
        }
    }

    /// Every message it accepted, in order.
    func received() -> [Value] { lines().compactMap { $0["msg"] } }

    /// Every line of its log, in order.
    func lines() -> [Value] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONText.parse(Array($0.utf8)) }
    }

    /// Gone at once, as a platform whose server dies is.
    func stop() {
        process.kill()
    }

    enum Failure: Error {
        case noPort(String)
        case noAnswer(String)
    }
}
