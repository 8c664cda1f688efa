import CordonCore
import CordonTestSupport
import CordonWire
import Foundation
import Testing

@testable import CordonService

/// A dangerous-goods truck forwarded over JT/T 809-2019 to an upper platform
/// (`Receivers/jtt809_platform.py`, written from the standard apart from Cordon's codec):
/// login on an encrypted link, heartbeats, locations with the 808 body, an alarm, and the link
/// dropped by the platform and taken up again.
@Suite("forwarding over JT/T 809: an upper platform logs Cordon in, receives locations and alarms, drops the link, and sees it come back", .serialized)
struct JTT809ForwardingTests {
    /// The simulated upper platform as a child process.
    struct Platform {
        let process: ChildProcess
        let port: Int
        let control: Int
        let log: String

        init(log: String) throws {
            self.log = log
            let ports: [Int]
            (process, ports) = try Receiver.start(script: "jtt809_platform.py",
                                                  arguments: ["20180920", "pw809", "20180920", "30000000", "20000000", "20000000", log])
            guard ports.count == 2 else { throw Receiver.Failure.noPort("\(ports)") }
            (port, control) = (ports[0], ports[1])
        }

        func lines() -> [Value] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONText.parse(Array($0.utf8)) }
        }

        /// Waits until `count` lines satisfy `match`.
        func wait(_ count: Int = 1, timeout: Double = 10, _ match: (Value) -> Bool) -> [Value] {
            let deadline = Date().addingTimeInterval(timeout)
            var found: [Value] = []
            repeat {
                found = lines().filter(match)
                if found.count >= count { break }
                Thread.sleep(forTimeInterval: 0.1)
            } while Date() < deadline
            return found
        }

        /// The platform drops every link, as one restarting or cutting a lower platform off does.
        func dropLinks() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(control).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if ok != 0 { throw Receiver.Failure.noAnswer("control port") }
        }

        func stop() {
            process.kill()
        }
    }

    @Test("login on an encrypted link, locations with the 808 body, a forbidden-area alarm as WarnType 0x0004, heartbeats, and the link back after the platform drops it")
    func link() throws {
        let dir = ServiceHarness.temporaryDirectory()
        let platform = try Platform(log: dir + "/platform.jsonl")
        defer { platform.stop() }
        try "pw809\n".write(toFile: dir + "/809.password", atomically: true, encoding: .utf8)
        let list: Value = [[
            "id": "transport", "kind": "jtt809", "host": "127.0.0.1", "port": .int(platform.port), "user": 20_180_920,
            "password_file": .string(dir + "/809.password"), "access_code": 20_180_920, "m1": 30_000_000, "ia1": 20_000_000, "ic1": 20_000_000,
            "platform_id": "37000000001", "types": ["vehicle.*"], "vehicle_interval_s": 1, "heartbeat_s": 1, "max_backoff_s": 1,
        ]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/f.json" })
        defer { h.shutdown() }
        let events = try EventCollector(context: h.client, endpoint: h.service.boundEvents)
        defer { events.stop() }
        let t0 = nowMs()
        try GateServeTests.hazmatTruckEnters(h, before: t0)

        let login = try #require(platform.wait { $0["msg"] == "login" }.first)
        #expect(login["result"] == 0 && login["encrypted"] == true && login["version"] == [1, 2, 15], "\(login)")
        let located = try #require(platform.wait { $0["msg"] == "location" }.first)
        #expect(located["plate"] == "鲁E12345" && located["color"] == 2 && located["encrypted"] == true && located["located"] == true, "\(located)")
        #expect(located["speed_kmh"] == 14.4 && located["direction"] == 0)
        let lat = located["lat"]?.numberValue ?? 0, lon = located["lon"]?.numberValue ?? 0
        #expect(lat > 37.44 && lat < 37.46 && lon > 118.72 && lon < 118.75, "the scenario park, in WGS84: \(located)")
        #expect(!platform.wait(timeout: 4) { $0["msg"] == "heartbeat" }.isEmpty, "a heartbeat a second")

        try h.send(#"{"type":"position","plate":"鲁E12345","t":\#(nowMs()),"x":70,"y":250,"speed_kmh":8}"#)
        let alarm = try #require(events.wait(for: "violation.forbidden-area", timeout: 5))
        let warning = try #require(platform.wait { $0["msg"] == "warning" }.first)
        #expect(warning["warn_type"] == 4 && warning["plate"] == "鲁E12345" && warning["source"] == "37000000001", "\(warning)")
        #expect(warning["content"]?.stringValue?.contains("禁行区域") == true, "\(warning)")
        #expect(warning["warn_time"]?.intValue == Int((RFC3339.parse(alarm.body["t"]?.stringValue ?? "")?.milliseconds ?? 0) / 1000))
        #expect(platform.lines().allSatisfy { $0["msg"] != "bad" }, "every frame read by the platform")

        try platform.dropLinks()
        let logins = platform.wait(2) { $0["msg"] == "login" }
        #expect(logins.count >= 2, "Cordon logs in again after the platform dropped the link")
        // Locations flow again on the new link.
        var resumed = false
        let deadline = Date().addingTimeInterval(5)
        while !resumed, Date() < deadline {
            let all = platform.lines()
            if let dropped = all.firstIndex(where: { $0["msg"] == "dropped" }) { resumed = all[dropped...].contains { $0["msg"] == "location" } }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(resumed, "locations after the drop")
        let status = try h.request(["op": "forward.status"])
        #expect(status["destinations"]?.arrayValue?.first?["kind"] == "jtt809", "\(status)")
    }

    @Test("a jtt809 destination that takes more than vehicles, or has half of the encryption constants, stops serve with the member named")
    func misconfigured() throws {
        let dir = ServiceHarness.temporaryDirectory()
        try "pw809".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let base: [String: Value] = ["id": "t", "kind": "jtt809", "host": "127.0.0.1", "port": 9, "user": 1, "password_file": .string(dir + "/pw"),
                                     "access_code": 2, "types": ["vehicle.*"]]
        var alarms = base
        alarms["types"] = ["alarm.*"]
        var half = base
        half["m1"] = 3
        var long = base
        try "a-password-far-too-long".write(toFile: dir + "/long", atomically: true, encoding: .utf8)
        long["password_file"] = .string(dir + "/long")
        for (d, needle) in [(alarms, "JT/T 809 carries vehicles' positions and alarms only"), (half, "'m1', 'ia1' and 'ic1' go together"),
                            (long, "must be 1 to 8 bytes")] {
            try JSONText.encode(Value.array([.object(d)])).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
            #expect { _ = try ForwardingConfig.load(site: .null, file: dir + "/f.json") } throws: { "\($0)".contains(needle) }
        }
    }
}
