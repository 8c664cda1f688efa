import CordonCore
import CordonWire
import Testing

/// docs/protocol.md, "Ingest messages": every message shape decodes to the IngestMessage it describes.
@Suite("Ingest messages decode to what they say")
struct IngestMessageShapeTests {
    let t250 = Instant(milliseconds: 1_795_334_400_250)

    @Test("a personnel tag in an RTLS frame, time as RFC 3339, every optional field")
    func positionLocalFull() {
        let m = decodeOne(
            #"{"type":"position","tag":"T1001","t":"2026-11-22T08:00:00.250Z","x":412.5,"y":188.0,"level":1,"frame":"uwb-hall-3","accuracy_m":0.3,"battery_pct":78,"moving":true,"speed_kmh":4.5,"heading_deg":-90}"#
        )
        let expected = PositionReport(
            source: .tag("T1001"), time: RFC3339.parse("2026-11-22T08:00:00.250Z")!,
            place: .local(x: 412.5, y: 188.0, frame: "uwb-hall-3"), level: 1, accuracyM: 0.3, speedKmh: 4.5,
            headingDeg: -90, batteryPct: 78, moving: true
        )
        #expect(m == .position(expected))
    }

    @Test("a vehicle by plate in WGS84, time as epoch milliseconds")
    func positionPlateWGS84() {
        let m = decodeOne(
            #"{"type":"position","plate":"鲁B12345","t":1795334400250,"lon":118.7341,"lat":37.4512,"speed_kmh":31.5,"heading_deg":270}"#
        )
        #expect(m == .position(PositionReport(
            source: .plate("鲁B12345"), time: t250, place: .wgs84(lon: 118.7341, lat: 37.4512),
            speedKmh: 31.5, headingDeg: 270
        )))
    }

    @Test("the minimal position: level 0, site frame, no optional fields")
    func positionMinimal() {
        let m = decodeOne(#"{"type":"position","tag":"T1","t":0,"x":-1,"y":2e1}"#)
        #expect(m == .position(PositionReport(source: .tag("T1"), time: Instant(milliseconds: 0), place: .local(x: -1, y: 20, frame: nil))))
    }

    @Test("null optional fields mean absent")
    func nullOptionalFields() {
        let m = decodeOne(
            #"{"type":"position","tag":"T1","plate":null,"t":5,"x":1,"y":2,"frame":null,"lon":null,"lat":null,"level":null,"accuracy_m":null,"speed_kmh":null,"heading_deg":null,"battery_pct":null,"moving":null}"#
        )
        #expect(m == .position(PositionReport(source: .tag("T1"), time: Instant(milliseconds: 5), place: .local(x: 1, y: 2, frame: nil))))
        let g = decodeOne(
            #"{"type":"gate","gate":"G1","t":5,"direction":"out","card":"C1","person":null,"plate":null,"tag":null,"count":null,"plate_color":null,"granted":null}"#
        )
        #expect(g == .gate(GatePassage(gate: "G1", time: Instant(milliseconds: 5), direction: .out, credential: .card("C1"))))
    }

    @Test("both time forms, with offsets, lower-case separators and long fractions")
    func timeForms() {
        let cases: [(String, Int64)] = [
            (#""2026-11-22T08:00:00.250Z""#, 1_795_334_400_250),
            (#""2026-11-22T16:00:00+08:00""#, 1_795_334_400_000),
            (#""2026-11-22t08:00:00.2509999z""#, 1_795_334_400_250),
            ("1795334400250", 1_795_334_400_250),
            ("1.79533440025e12", 1_795_334_400_250),
            ("1795334400250.0", 1_795_334_400_250),
            ("0", 0),
        ]
        for (t, ms) in cases {
            let m = decodeOne(#"{"type":"alert","tag":"T1","t":\#(t),"alert":"sos"}"#)
            #expect(m?.time == Instant(milliseconds: ms), "t = \(t)")
        }
    }

    @Test("every alert kind")
    func alerts() {
        for kind in TagAlert.Kind.allCases {
            let m = decodeOne(#"{"type":"alert","tag":"T1001","t":"2026-11-22T08:03:10Z","alert":"\#(kind.rawValue)"}"#)
            #expect(m == .alert(TagAlert(tag: "T1001", time: RFC3339.parse("2026-11-22T08:03:10Z")!, kind: kind)))
        }
    }

    @Test("gate passages with each credential and the optional fields")
    func gates() {
        let t = RFC3339.parse("2026-11-22T07:58:00Z")!
        #expect(decodeOne(#"{"type":"gate","gate":"G2","t":"2026-11-22T07:58:00Z","direction":"in","plate":"鲁B12345","plate_color":"yellow"}"#)
            == .gate(GatePassage(gate: "G2", time: t, direction: .in, credential: .plate("鲁B12345"), plateColor: "yellow")))
        #expect(decodeOne(#"{"type":"gate","gate":"G1","t":"2026-11-22T07:58:00Z","direction":"in","person":"P0042","tag":"T1001","count":1}"#)
            == .gate(GatePassage(gate: "G1", time: t, direction: .in, credential: .person("P0042"), tag: "T1001", count: 1)))
        #expect(decodeOne(#"{"type":"gate","gate":"G1","t":"2026-11-22T07:58:00Z","direction":"out","card":"C67544651","count":3,"granted":false}"#)
            == .gate(GatePassage(gate: "G1", time: t, direction: .out, credential: .card("C67544651"), count: 3, granted: false)))
    }

    @Test("a batch delivers its messages in order")
    func batch() {
        let items = decodeAll(#" [ {"type":"alert","tag":"A","t":1,"alert":"sos"} , {"type":"alert","tag":"B","t":2,"alert":"fall"} ] "#)
        #expect(items == [
            .message(.alert(TagAlert(tag: "A", time: Instant(milliseconds: 1), kind: .sos))),
            .message(.alert(TagAlert(tag: "B", time: Instant(milliseconds: 2), kind: .fall))),
        ])
        #expect(decodeAll("[]").isEmpty)
    }

    @Test("in a batch a bad element is refused alone, with its own bytes")
    func batchWithBadElement() {
        let text = #"[{"type":"alert","tag":"A","t":1,"alert":"sos"},{"type":"alert","tag":"B","t":2,"alert":"panic"},7]"#
        let items = decodeAll(text)
        #expect(items.count == 3)
        #expect(items[0].message != nil)
        guard case .rejected(let reason, let raw) = items[1] else {
            Issue.record("expected a rejection, got \(items[1])")
            return
        }
        #expect(reason.code == "invalid-value")
        #expect(String(decoding: Array(text.utf8)[raw], as: UTF8.self) == #"{"type":"alert","tag":"B","t":2,"alert":"panic"}"#)
        #expect(items[2].rejectionCode == "wrong-type")
    }

    @Test("field order, whitespace, escapes and unknown members do not matter")
    func freeForm() {
        let m = decodeOne("""
            {
              "moving" : false, "extra": {"nested": [1, 2, {"deep": null}], "s": "\\u00e9"},
              "y": -0.5, "x": 1E2, "t": 1000, "t\\u0061g": "T\\u00e9\\t1", "type": "pos\\u0069tion",
              "battery_pct": 100, "unknown": 1e-400, "ok": true
            }
            """)
        #expect(m == .position(PositionReport(source: .tag("Té\t1"), time: Instant(milliseconds: 1000), place: .local(x: 100, y: -0.5, frame: nil), batteryPct: 100, moving: false)))
    }

    @Test("a repeated member keeps its last value, as JSONSerialization does")
    func duplicateMembers() {
        let m = decodeOne(#"{"type":"alert","tag":5,"tag":"T2","t":1,"alert":"sos","alert":"fall"}"#)
        #expect(m == .alert(TagAlert(tag: "T2", time: Instant(milliseconds: 1), kind: .fall)))
        // A later null takes the member away again.
        #expect(rejection(#"{"type":"alert","tag":"T2","tag":null,"t":1,"alert":"sos"}"#) == "missing-field")
    }

    @Test("control lines only when allowed, with the request as a Value")
    func control() {
        let line = #"{"type":"control","t":"2026-11-22T08:00:00Z","request":{"op":"booking.create","id":"B1","window":{"from":1,"until":2.5},"cargo":[true,null]}}"#
        let items = decodeAll(line, allowControl: true)
        let request: Value = ["op": "booking.create", "id": "B1", "window": ["from": 1, "until": 2.5], "cargo": [true, nil]]
        #expect(items == [.control(time: RFC3339.parse("2026-11-22T08:00:00Z")!, request: request)])
        #expect(decodeAll(line).first?.rejectionCode == "unknown-type")
        #expect(decodeAll(#"{"type":"control","t":1,"request":"ping"}"#, allowControl: true).first?.rejectionCode == "wrong-type")
        #expect(decodeAll(#"{"type":"control","t":1}"#, allowControl: true).first?.rejectionCode == "missing-field")
    }

    @Test("a leading UTF-8 byte order mark is skipped")
    func byteOrderMark() {
        let m = decodeAll([0xEF, 0xBB, 0xBF] + Array(#"{"type":"alert","tag":"A","t":1,"alert":"sos"}"#.utf8))
        #expect(m.first?.message != nil)
    }
}
