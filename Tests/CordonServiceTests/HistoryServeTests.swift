import CordonCore
import CordonService
import CordonStore
import CordonTestSupport
import CordonWire
import Foundation
import Testing

@Suite("History through cordon serve: violations, passages, tracks; retention; bounds", .serialized)
struct HistoryServeTests {
    /// P0042 comes in at G3, walks into the tank farm and out again; the alarm is acknowledged
    /// in between. Returns the violation's id.
    func incident(_ h: ServiceHarness) throws -> String {
        #expect(try h.request(registry)["ok"] == true)
        try h.send(#"{"type":"gate","gate":"G3","t":\#(nowMs() - 60_000),"direction":"in","person":"P0042","tag":"T1042"}"#)
        #expect(try #require(try h.nextEvent()).topic == "access.G3")
        try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs() - 2000),"x":60,"y":250}"#)
        let raised = try #require(try h.nextEvent())
        let id = try #require(raised.body["id"]?.stringValue)
        #expect(try h.request(["op": "alarms.ack", "id": .string(id), "by": "duty officer Li"])["ok"] == true)
        usleep(5000)
        try h.send(#"{"type":"position","tag":"T1042","t":\#(nowMs()),"x":300,"y":250}"#)
        #expect(try #require(try h.nextEvent()).topic == "cleared.restricted-zone")
        return id
    }

    @Test("history.violations shows a violation's raise, acknowledgement and clear, filtered by kind, zone, subject and state")
    func violations() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let id = try incident(h)
        let all = try h.request(["op": "history.violations", "id": .string(id), "since_s": 3600])
        #expect(all["ok"] == true)
        let steps = all["events"]?.arrayValue ?? []
        #expect(steps.map { $0["step"]?.stringValue } == ["raised", "acknowledged", "cleared"])
        #expect(steps[1]["by"] == "duty officer Li" && steps[0]["zone"] == "Z-TANK-1" && steps[0]["subject"]?["id"] == "P0042")
        let filtered = try h.request(["op": "history.violations", "kind": "restricted-zone", "zone": "Z-TANK-1", "subject": "P0042",
                                      "state": "acknowledged", "since_s": 3600])
        #expect(filtered["count"] == 1 && filtered["events"]?.arrayValue?.first?["by"] == "duty officer Li")
        #expect(try h.request(["op": "history.violations", "zone": "Z-CR", "since_s": 3600])["count"] == 0)
    }

    @Test("history.passages lists a gate's decisions in a window")
    func passages() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        _ = try incident(h)
        let r = try h.request(["op": "history.passages", "gate": "G3", "since_s": 3600])
        #expect(r["count"] == 1)
        let p = r["passages"]?.arrayValue?.first
        #expect(p?["subject"]?["id"] == "P0042" && p?["decision"] == "granted" && p?["direction"] == "in")
        #expect(try h.request(["op": "history.passages", "gate": "G2", "since_s": 3600])["count"] == 0)
    }

    @Test("numbers and times out of bounds are refused with invalid-request, never trusted")
    func bounds() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let bad: [Value] = [
            ["op": "history.violations", "from": 1e300], ["op": "history.violations", "until": -5],
            ["op": "history.violations", "limit": 0], ["op": "history.violations", "limit": 1.5],
            ["op": "history.violations", "limit": 1e300], ["op": "history.violations", "since_s": -1],
            ["op": "history.violations", "since_s": 1e300], ["op": "history.violations", "from": "yesterday"],
            ["op": "history.violations", "state": "open"], ["op": "history.violations", "kind": "no-such-kind"],
            ["op": "history.violations", "from": "2026-12-03T10:00:00Z", "until": "2026-12-03T09:00:00Z"],
            ["op": "history.passages", "decision": "maybe"], ["op": "history.passages", "from": 1e19],
        ]
        for r in bad {
            #expect(try h.request(r)["error"]?["code"] == "invalid-request", "\(r)")
        }
    }

    @Test("cordon history prints a table, CSV or JSON from a running serve")
    func command() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let id = try incident(h)
        let binary = try #require(ServeProcess.binary)
        func run(_ args: [String]) throws -> String {
            let p = try ChildProcess.run(binary, args + ["--control", h.service.boundControl], within: 60)
            #expect(p.status == .exited(0), "\(args): \(p.errorText)")
            return p.text
        }
        let csv = try run(["history", "violations", "--id", id, "--format", "csv"]).split(separator: "\r\n")
        #expect(csv.first == "t,step,kind,severity,subject,zone,by,id")
        #expect(csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] } == ["raised", "acknowledged", "cleared"])
        let table = try run(["history", "passages", "--gate", "G3", "--since", "1h"])
        #expect(table.contains("P0042") && table.contains("(1 row)"))
        let json = try run(["history", "violations", "--kind", "restricted-zone", "--since", "24h", "--format", "json"])
        #expect(json.split(separator: "\n").count == 3, "one JSON object a line: raise, acknowledgement, clear")
    }

    @Test("cordon.retention: defaults are the regulation's minimums; a wrong value names the member to fix")
    func policy() throws {
        let d = RetentionPolicy.defaults
        #expect(d.days[.personPositions] == 30 && d.days[.vehiclePositions] == 180 && d.days[.violations] == 1095
            && d.days[.passages] == 1095 && d.auditDays == 1095)
        let custom = try RetentionPolicy(site: ["cordon": ["retention": ["person_positions_days": 60, "violations_days": 3650]]])
        #expect(custom.days[.personPositions] == 60 && custom.days[.violations] == 3650 && custom.days[.vehiclePositions] == 180)
        for bad: Value in [["person_positions_days": 0], ["violations_days": "forever"], ["tracks_days": 5], ["passages_days": 1e9]] {
            #expect(throws: RetentionPolicy.Invalid.self) { try RetentionPolicy(site: ["cordon": ["retention": bad]]) }
        }
    }
}
