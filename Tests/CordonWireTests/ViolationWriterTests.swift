import CordonCore
import CordonWire
import Testing

/// Violations are written member by member for speed (ViolationWriter.swift); what a subscriber
/// receives must stay byte for byte what the general path writes from `Violation.body(site:)`.
@Suite("A violation written member by member is byte for byte its body as a value")
struct ViolationWriterTests {
    /// Every optional part present or absent, odd numbers, text that needs escaping.
    static func variants() -> [Violation] {
        var out: [Violation] = []
        var rng = SystemRandomNumberGenerator()
        let texts: [String?] = [nil, "", "P0042", "王五 \"老王\"", "tab\there\\", "鲁E12345", "\u{1}"]
        let positions: [Violation.Position?] = [
            nil, .init(x: 412.5, y: 188.0, level: 1, lon: 118.7341, lat: 37.4512),
            .init(x: -0.004999, y: 1e-9, level: -2, lon: 118.123456789, lat: 37.987654321),
            .init(x: 123456.785, y: -98765.4321, level: 0, lon: -0.00000005, lat: 89.99999999),
        ]
        for i in 0..<400 {
            let kind = ViolationKind.allCases[i % ViolationKind.allCases.count]
            let pick = { (list: [String?]) in list[Int.random(in: 0..<list.count, using: &rng)] }
            var details: [String: Value] = [:]
            if i % 3 != 0 {
                details = ["count": .int(i), "since": .time(Instant(milliseconds: 1_795_307_400_000 + Int64(i))),
                           "names": .array([.string("a"), .null, .bool(true)]), "ratio": .number(Double(i) / 7),
                           "nested": ["z": 1, "a": ["k": "v"]], "note": .optional(pick(texts))]
            }
            let zone = pick(texts)
            out.append(Violation(
                id: "V-\(i)-\(pick(texts) ?? "x")", kind: kind, state: i % 2 == 0 ? .raised : .cleared,
                severity: Severity.allCases[i % 3], time: Instant(milliseconds: 1_795_307_400_000 + Int64(i) * 1_001),
                subject: .init(kind: ["person", "vehicle", "tag"][i % 3], id: pick(texts) ?? "P1", name: pick(texts),
                               tag: pick(texts), enterprise: pick(texts)),
                zoneID: zone, zoneName: zone == nil ? nil : pick(texts), position: positions[i % positions.count],
                details: details))
        }
        return out
    }

    @Test("400 violations of every kind, with and without zone, position, names and details")
    func sameBytes() {
        for v in Self.variants() {
            for site in ["park-1", "化工园区 \"东区\""] {
                let fast = EventEncoder.encode(.violation(v), site: site)
                #expect(fast.topic == v.topic)
                #expect(fast.body == JSONText.encodeBytes(v.body(site: site)),
                        "\(String(decoding: fast.body, as: UTF8.self))\nvs\n\(JSONText.encode(v.body(site: site)))")
            }
        }
    }
}
