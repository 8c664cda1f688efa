import CordonCore
import CordonWire
import Testing

/// docs/protocol.md, "Ingest messages": what is refused, and with which reason code.
@Suite("Ingest messages are refused for a reason")
struct IngestRejectionTests {
    static let position = #""type":"position","t":1795307400000"#

    @Test("missing, doubled or half-given subject and place", arguments: [
        (#"{\#(position),"x":1,"y":2}"#, "missing-field"),  // no tag nor plate
        (#"{\#(position),"tag":"T1","plate":"鲁B1","x":1,"y":2}"#, "invalid-value"),  // both
        (#"{\#(position),"tag":"","x":1,"y":2}"#, "invalid-value"),  // empty id
        (#"{\#(position),"tag":7,"x":1,"y":2}"#, "wrong-type"),
        (#"{\#(position),"tag":"T1","x":1}"#, "missing-field"),  // x without y
        (#"{\#(position),"tag":"T1","lat":1}"#, "missing-field"),  // lat without lon
        (#"{\#(position),"tag":"T1"}"#, "missing-field"),  // no place at all
        (#"{\#(position),"tag":"T1","x":1,"y":2,"lon":3}"#, "invalid-value"),  // both place forms
        (#"{\#(position),"tag":"T1","x":"1","y":2}"#, "wrong-type"),
        (#"{\#(position),"tag":"T1","lon":181,"lat":0}"#, "invalid-value"),
        (#"{\#(position),"tag":"T1","lon":0,"lat":-90.5}"#, "invalid-value"),
        (#"{\#(position),"tag":"T1","x":1,"y":2,"frame":""}"#, "invalid-value"),
        (#"{\#(position),"tag":"T1","x":1,"y":2,"frame":3}"#, "wrong-type"),
    ])
    func subjectAndPlace(text: String, code: String) {
        #expect(rejection(text) == code, "\(text)")
    }

    @Test("time that is not an instant", arguments: [
        (#"{"type":"alert","tag":"T1","alert":"sos"}"#, "missing-field"),
        (#"{"type":"alert","tag":"T1","t":1.5,"alert":"sos"}"#, "invalid-value"),
        (#"{"type":"alert","tag":"T1","t":-1,"alert":"sos"}"#, "invalid-value"),
        (#"{"type":"alert","tag":"T1","t":1e300,"alert":"sos"}"#, "invalid-value"),
        (#"{"type":"alert","tag":"T1","t":253402300800000,"alert":"sos"}"#, "invalid-value"),  // after year 9999
        (#"{"type":"alert","tag":"T1","t":"yesterday","alert":"sos"}"#, "invalid-value"),
        (#"{"type":"alert","tag":"T1","t":"2026-11-22T08:00:00","alert":"sos"}"#, "invalid-value"),  // no zone
        (#"{"type":"alert","tag":"T1","t":true,"alert":"sos"}"#, "wrong-type"),
        (#"{"type":"alert","tag":"T1","t":[1],"alert":"sos"}"#, "wrong-type"),
    ])
    func time(text: String, code: String) {
        #expect(rejection(text) == code, "\(text)")
    }

    @Test("optional fields out of their range or of the wrong type", arguments: [
        ("\"battery_pct\":150", "invalid-value"),
        ("\"battery_pct\":-0.1", "invalid-value"),
        ("\"level\":1.5", "invalid-value"),
        ("\"level\":3000000000", "invalid-value"),
        ("\"level\":\"1\"", "wrong-type"),
        ("\"accuracy_m\":-1", "invalid-value"),
        ("\"accuracy_m\":1000.5", "invalid-value"),
        ("\"accuracy_m\":\"3\"", "wrong-type"),
        ("\"speed_kmh\":-3", "invalid-value"),
        ("\"speed_kmh\":1e300", "invalid-value"),
        ("\"heading_deg\":\"N\"", "wrong-type"),
        ("\"moving\":1", "wrong-type"),
        ("\"moving\":\"true\"", "wrong-type"),
    ])
    func optionalFields(member: String, code: String) {
        let text = #"{\#(Self.position),"tag":"T1","x":1,"y":2,\#(member)}"#
        #expect(rejection(text) == code, "\(text)")
    }

    @Test("alerts and gates with values outside their vocabulary", arguments: [
        (#"{"type":"alert","tag":"T1","t":1,"alert":"panic"}"#, "invalid-value"),
        (#"{"type":"alert","tag":"T1","t":1}"#, "missing-field"),
        (#"{"type":"alert","t":1,"alert":"sos"}"#, "missing-field"),
        (#"{"type":"alert","tag":"T1","t":1,"alert":"SOS"}"#, "invalid-value"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"sideways","person":"P1"}"#, "invalid-value"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in","person":"P1","card":"C1"}"#, "invalid-value"),  // two credentials
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in"}"#, "missing-field"),  // no credential
        (#"{"type":"gate","t":1,"direction":"in","person":"P1"}"#, "missing-field"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in","person":"P1","count":0}"#, "invalid-value"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in","person":"P1","count":2.5}"#, "invalid-value"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in","person":"P1","granted":"yes"}"#, "wrong-type"),
        (#"{"type":"gate","gate":"G1","t":1,"direction":"in","person":"P1","plate_color":1}"#, "wrong-type"),
    ])
    func vocabulary(text: String, code: String) {
        #expect(rejection(text) == code, "\(text)")
    }

    @Test("type missing, not a string, or unknown", arguments: [
        (#"{"t":1,"tag":"T1","x":1,"y":2}"#, "missing-field"),
        (#"{"type":null,"t":1}"#, "missing-field"),
        (#"{"type":1,"t":1}"#, "wrong-type"),
        (#"{"type":"heartbeat","t":1}"#, "unknown-type"),
        (#"{"type":"Position","t":1}"#, "unknown-type"),
        (#"{"type":"control","t":1,"request":{}}"#, "unknown-type"),  // not on the ingest socket
    ])
    func messageType(text: String, code: String) {
        #expect(rejection(text) == code, "\(text)")
    }

    @Test("numbers beyond a double are non-finite; NaN and Infinity are not JSON at all")
    func nonFinite() {
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":1e999,"y":2}"#) == "non-finite")
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":1,"y":-1e309}"#) == "non-finite")
        // Anywhere in the message, even where nobody looks: JSONSerialization refuses it too.
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":1,"y":2,"extra":[1e999]}"#) == "non-finite")
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":NaN,"y":2}"#) == "malformed-json")
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":Infinity,"y":2}"#) == "malformed-json")
        // Underflow is not overflow: 1e-400 is 0.
        #expect(decodeOne(#"{\#(Self.position),"tag":"T1","x":1e-400,"y":2}"#) != nil)
    }

    @Test("frames that are not JSON are refused whole", arguments: [
        #"{"type":"alert","tag":"T1","t":1,"alert":"sos"} x"#,  // trailing garbage
        #"{"type":"alert","tag":"T1","t":1,"alert":"sos"}{}"#,  // two objects
        #"{"type":"alert","tag":"T1","t":1,"alert":"so"#,  // truncated
        #"[{"type":"alert","tag":"T1","t":1,"alert":"sos"},"#,  // truncated batch
        #"{"type":"alert","tag":"T1","t":1,"alert":"sos",}"#,  // trailing comma
        #"{"type":"alert" "tag":"T1"}"#,
        #"{'type':'alert'}"#,
        #"{"type":"alert","t":01}"#,
        #"{"type":"alert","t":1.}"#,
        #"{"type":"alert","t":.5}"#,
        #"{"type":"alert","t":+1}"#,
        #"{"type":"alert","tag":"\x"}"#,
        #"{"type":"alert","tag":"\ud800"}"#,  // lone surrogate
        #"{"type":"alert","tag":"\udc00\ud800"}"#,
        "",
        "   ",
        "nul",
    ])
    func malformed(text: String) {
        #expect(rejection(text) == "malformed-json", "\(text)")
    }

    @Test("a raw control character inside a string is malformed")
    func rawNewline() {
        #expect(rejection("{\"type\":\"alert\",\"tag\":\"T\n1\",\"t\":1,\"alert\":\"sos\"}") == "malformed-json")
        #expect(rejection("{\"type\":\"alert\",\"tag\":\"T\t1\",\"t\":1,\"alert\":\"sos\"}") == "malformed-json")
        #expect(rejection([0x7B, 0x22, 0x00, 0x22, 0x3A, 0x31, 0x7D]) == "malformed-json")
    }

    @Test("invalid UTF-8 is malformed", arguments: [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ] as [[UInt8]])
    func invalidUTF8(bad: [UInt8]) {
        let frame = Array(#"{"type":"alert","tag":"T"#.utf8) + bad + Array(#"","t":1,"alert":"sos"}"#.utf8)
        #expect(rejection(frame) == "malformed-json")
        let outside = Array(#"{"type":"alert","tag":"T","t":1,"alert":"sos"}"#.utf8) + bad
        #expect(rejection(outside) == "malformed-json")
    }

    @Test("deep nesting is refused before it can exhaust the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(rejection(#"{\#(Self.position),"tag":"T1","x":1,"y":2,"a":\#(deep)}"#) == "malformed-json")
        #expect(rejection(deep) == "malformed-json")
        let objects = String(repeating: #"{"a":"#, count: 70) + "1" + String(repeating: "}", count: 70)
        #expect(rejection(objects) == "malformed-json")
        // 60 levels are fine.
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(decodeOne(#"{\#(Self.position),"tag":"T1","x":1,"y":2,"a":\#(fine)}"#) != nil)
    }

    @Test("a frame over the limit is refused unread")
    func tooLarge() {
        let padding = String(repeating: " ", count: 2_000_000)
        #expect(rejection(Array((#"{\#(Self.position),"tag":"T1","x":1,"y":2}"# + padding).utf8)) == "too-large")
        #expect(rejection(Array(#"{"type":"alert","tag":"T1","t":1,"alert":"sos"}"#.utf8), maxFrameBytes: 16) == "too-large")
    }

    @Test("a frame that is JSON but not an object, or a batch element that is not, is the wrong type")
    func notAnObject() {
        #expect(rejection("42") == "wrong-type")
        #expect(rejection(#""position""#) == "wrong-type")
        #expect(rejection("null") == "wrong-type")
        let items = decodeAll(#"[[{"type":"alert","tag":"T1","t":1,"alert":"sos"}], null, {"type":"alert","tag":"T1","t":1,"alert":"sos"}]"#)
        #expect(items.map(\.rejectionCode) == ["wrong-type", "wrong-type", nil])
    }

    @Test("a malformed frame is one rejection covering the whole frame, and nothing of it is delivered")
    func malformedBatchIsWhole() {
        let text = #"[{"type":"alert","tag":"T1","t":1,"alert":"sos"}, {"type":"alert""#
        let items = decodeAll(text)
        #expect(items.count == 1)
        guard case .rejected(let reason, let raw) = items.first else { return }
        #expect(reason.code == "malformed-json")
        #expect(raw == 0..<text.utf8.count)
        #expect(reason.message.contains("at byte"))
    }

    @Test("faults are reported in a fixed order: non-finite, type, t, then the fields")
    func precedence() {
        #expect(rejection(#"{"type":"heartbeat","x":1e999}"#) == "non-finite")
        #expect(rejection(#"{"type":"heartbeat","t":"yesterday"}"#) == "unknown-type")
        #expect(rejection(#"{"type":"position","t":"yesterday","battery_pct":500}"#) == "invalid-value")
        let items = decodeAll(#"{"type":"position","t":1,"tag":"T1","x":1,"y":2,"battery_pct":500,"moving":3}"#)
        guard case .rejected(let reason, _) = items.first else { return }
        #expect(reason.message.contains("battery_pct"))
    }
}
