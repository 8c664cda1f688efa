import CordonCore
import CordonWire
import Testing

/// Published events, control replies and replay lines (docs/protocol.md ("Published events", "Control requests", "Replay")).
@Suite("Events, replies and replay lines are encoded as the protocol shows")
struct EncoderTests {
    static let violation = Violation(
        id: "V-1", kind: .restrictedZone, state: .raised, severity: .critical,
        time: RFC3339.parse("2026-11-22T08:00:00.250Z")!,
        subject: .init(kind: "person", id: "P0042", tag: "T1001"), zoneID: "Z-TANK-1", zoneName: "Tank farm 1",
        position: .init(x: 412.5, y: 188.0, level: 1, lon: 118.7341, lat: 37.4512)
    )

    @Test("a violation: its topic, and a body with the site, sorted and compact")
    func violationEvent() throws {
        let (topic, body) = EventEncoder.encode(.violation(Self.violation), site: "demo-park")
        #expect(topic == "violation.restricted-zone")
        #expect(String(decoding: body, as: UTF8.self) == #"{"details":{},"id":"V-1","kind":"restricted-zone","position":{"lat":37.4512,"level":1,"lon":118.7341,"x":412.5,"y":188},"severity":"critical","site":"demo-park","state":"raised","subject":{"id":"P0042","kind":"person","tag":"T1001"},"t":"2026-11-22T08:00:00.250Z","zone":{"id":"Z-TANK-1","name":"Tank farm 1"}}"#)
        #expect(try JSONText.parse(body) == Output.violation(Self.violation).body(site: "demo-park"))
        var cleared = Self.violation
        cleared.state = .cleared
        #expect(EventEncoder.encode(.violation(cleared), site: "demo-park").topic == "cleared.restricted-zone")
    }

    @Test("a muster event: its family's topic and its body")
    func otherEvent() {
        let output = Output.muster(.progress, body: ["muster": "MU-1", "accounted": 3, "total": 5], time: Instant(milliseconds: 0))
        let (topic, body) = EventEncoder.encode(output, site: "demo-park")
        #expect(topic == "muster.progress")
        #expect(String(decoding: body, as: UTF8.self) == #"{"accounted":3,"muster":"MU-1","total":5}"#)
    }

    @Test("replies: ok with members, or an error with code and message")
    func replies() {
        #expect(String(decoding: ReplyEncoder.ok(["version": "1.0.0", "uptime_s": 12]), as: UTF8.self)
            == #"{"ok":true,"uptime_s":12,"version":"1.0.0"}"#)
        #expect(String(decoding: ReplyEncoder.ok([:]), as: UTF8.self) == #"{"ok":true}"#)
        #expect(String(decoding: ReplyEncoder.ok(["ok": false]), as: UTF8.self) == #"{"ok":true}"#)
        #expect(String(decoding: ReplyEncoder.error(code: "bad-request", message: "missing \"op\""), as: UTF8.self)
            == #"{"error":{"code":"bad-request","message":"missing \"op\""},"ok":false}"#)
    }

    @Test("replay lines wrap the published bytes unchanged")
    func replayLines() throws {
        let (topic, body) = EventEncoder.encode(.violation(Self.violation), site: "demo-park")
        let line = ReplayOutput.eventLine(topic: topic, body: body)
        #expect(line == #"{"topic":"violation.restricted-zone","body":"# + String(decoding: body, as: UTF8.self) + "}")
        #expect(try JSONText.parse(line) == ["topic": .string(topic), "body": try JSONText.parse(body)])
        #expect(ReplayOutput.replyLine(ReplyEncoder.ok([:])) == #"{"reply":{"ok":true}}"#)
        #expect(ReplayOutput.eventLine(topic: "a\"b", body: Array("{}".utf8)) == #"{"topic":"a\"b","body":{}}"#)
    }
}
