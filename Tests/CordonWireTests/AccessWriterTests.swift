import CordonCore
import CordonWire
import Testing

/// Access decisions are written member by member for speed (AccessWriter.swift); what a gate
/// guard's screen and the store receive must stay byte for byte what the general path writes
/// from `AccessDecision.body(site:)`.
@Suite("An access decision written member by member is byte for byte its body as a value")
struct AccessWriterTests {
    /// Every credential, every optional member present or absent, reasons of every code, text that needs escaping.
    static func variants() -> [AccessDecision] {
        var out: [AccessDecision] = []
        var rng = SystemRandomNumberGenerator()
        let texts: [String?] = [nil, "", "P0042", "王五 \"老王\"", "tab\there\\", "鲁E12345", "\u{1}"]
        let codes = AccessReason.Code.allCases
        for i in 0..<400 {
            let pick = { (list: [String?]) in list[Int.random(in: 0..<list.count, using: &rng)] }
            let credential: GatePassage.Credential = switch i % 3 {
            case 0: .person(pick(texts) ?? "P1")
            case 1: .card(pick(texts) ?? "C1")
            default: .plate(pick(texts) ?? "鲁E12345")
            }
            let reasons = (0..<(i % 4)).map { k in
                AccessReason(codes[(i + k) % codes.count], pick(texts) ?? "why", effect: k % 2 == 0 ? .deny : .warn)
            }
            out.append(AccessDecision(
                id: "D-\(i)-\(pick(texts) ?? "x")", gate: pick(texts) ?? "G\(i % 5)", direction: i % 2 == 0 ? .in : .out,
                time: Instant(milliseconds: 1_795_307_400_000 + Int64(i) * 1_001),
                subject: .init(kind: ["person", "vehicle", "card"][i % 3], id: pick(texts) ?? "P1", name: pick(texts),
                               tag: pick(texts), enterprise: pick(texts)),
                credential: credential, granted: reasons.allSatisfy { $0.effect != .deny },
                reasons: reasons, gateGranted: [nil, true, false][i % 3], count: i % 5 == 0 ? nil : i % 7,
                plateColor: pick(texts), booking: pick(texts), tag: pick(texts)))
        }
        return out
    }

    @Test("400 decisions of every credential, with and without every optional member")
    func sameBytes() {
        for d in Self.variants() {
            for site in ["park-1", "化工园区 \"东区\""] {
                let fast = EventEncoder.encode(.access(d), site: site)
                #expect(fast.topic == "access." + d.gate)
                #expect(fast.body == JSONText.encodeBytes(d.body(site: site)),
                        "\(String(decoding: fast.body, as: UTF8.self))\nvs\n\(JSONText.encode(d.body(site: site)))")
                #expect(EventEncoder.accessBody(d, site: site) == fast.body)
            }
        }
    }
}
