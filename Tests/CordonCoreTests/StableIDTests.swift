import CordonCore
import Testing

/// Ids are in stores already: however they are computed, the bytes must not change.
@Suite("stable ids: the hash and the text are what they always were")
struct StableIDTests {
    /// The id as it was first written: fields joined, decimal by `String`, hex by `String(radix:)`.
    static func reference(_ fields: [String], prefix: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in fields {
            for b in f.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            h = (h ^ 0x1f) &* 0x0000_0100_0000_01b3
        }
        let s = String(h, radix: 16)
        return prefix + String(repeating: "0", count: 16 - s.count) + s
    }

    @Test("decimals, joined fields and violation keys hash as the strings they stand for")
    func sameBytes() {
        var rng = SystemRandomNumberGenerator()
        let numbers: [Int64] = [0, 1, -1, 9, 10, Int64.max, Int64.min, 1_795_307_400_000, -1_795_307_400_000]
            + (0..<200).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) }
        for n in numbers {
            var h = StableID()
            h.mix(decimal: n)
            #expect(h.id(prefix: "X-") == Self.reference([String(n)], prefix: "X-"), "\(n)")
        }
        let names = ["", "P0042", "鲁E12345", "Z-TANK-1", "a\u{1f}b", "person:"]
        for a in names {
            for b in names {
                var h = StableID()
                h.mix(a, b)
                #expect(h.id(prefix: "") == Self.reference([a + b], prefix: ""))
            }
        }
        for (kind, id) in [("person", "P0042"), ("vehicle", "鲁E12345"), ("tag", "")] {
            let t = Instant(milliseconds: 1_795_307_400_123)
            let split = StableID.violation(kind: "restricted-zone", subjectKind: kind, subjectID: id, scope: "Z-TANK-1", at: t)
            let joined = StableID.violation(kind: "restricted-zone", subject: "\(kind):\(id)", scope: "Z-TANK-1", at: t)
            let expected = Self.reference(["restricted-zone", "\(kind):\(id)", "Z-TANK-1", "1795307400123"], prefix: "V-")
            #expect(split.id(prefix: "V-") == expected && joined.id(prefix: "V-") == expected)
        }
    }

    @Test("a taken id is salted with 1, 2, 3… as decimal fields, the first keeping the unsalted one")
    func salts() {
        let base = StableID("G1", "1795307400000", "in", "person:P1")
        var taken: Set<String> = []
        for salts in 0..<12 {
            let id = base.unique(prefix: "A-") { taken.contains($0) }
            let expected = Self.reference(["G1", "1795307400000", "in", "person:P1"] + (0..<salts).map { String($0 + 1) }, prefix: "A-")
            #expect(id == expected, "\(salts) salts")
            taken.insert(id)
        }
    }
}
