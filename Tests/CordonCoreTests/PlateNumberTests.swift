import CordonCore
import Testing

@Suite("Plate numbers: normalised before any comparison, never guessed at")
struct PlateNumberTests {
    @Test("the same plate as cameras, terminals and people write it", arguments: [
        ("鲁E12345", "鲁E12345"), ("鲁e12345", "鲁E12345"), ("鲁Ｅ１２３４５", "鲁E12345"), ("鲁ｅ１２３４５", "鲁E12345"),
        ("鲁E 12345", "鲁E12345"), ("鲁E·12345", "鲁E12345"), ("鲁E-12345", "鲁E12345"), ("鲁E.12345", "鲁E12345"),
        ("鲁E　12345", "鲁E12345"), (" 鲁E12345\t", "鲁E12345"), ("鲁E・12345", "鲁E12345"), ("鲁E—12345", "鲁E12345"),
        ("鲁E1234挂", "鲁E1234挂"), ("鲁E1234(挂)", "鲁E1234挂"), ("鲁E 1234（挂）", "鲁E1234挂"), ("鲁E·1234 挂", "鲁E1234挂"),
        ("鲁ED12345", "鲁ED12345"), ("鲁e·d１２３４５", "鲁ED12345"), ("鲁E12345F", "鲁E12345F"),
    ])
    func normalised(_ raw: String, _ canonical: String) throws {
        #expect(PlateNumber.normalize(raw) == canonical)
        #expect(try PlateNumber(raw).text == canonical)
        #expect(PlateNumber.normalize(canonical) == canonical, "normalising is idempotent")
    }

    @Test("each format is recognised", arguments: [
        ("鲁E12345", PlateNumber.Kind.ordinary), ("京AB1234", .ordinary), ("鲁ED12345", .newEnergy), ("粤BF12345", .newEnergy),
        ("鲁EA12345", .newEnergy), ("鲁E12345D", .newEnergy), ("鲁E1234挂", .trailer), ("鲁E1234学", .special),
        ("粤Z1234港", .special), ("鲁E1234应急", .emergency), ("鲁E12345应急", .emergency),
    ])
    func kinds(_ text: String, _ kind: PlateNumber.Kind) throws {
        #expect(try PlateNumber(text).kind == kind)
    }

    @Test("malformed plates are reported with the reason", arguments: [
        ("", "empty"), ("E12345", "province"), ("鲁12345", "issuing authority"), ("鲁E1234", "7 (8 for new energy)"),
        ("鲁E123456", "not a new-energy plate"), ("鲁E1234567", "9 characters"), ("鲁E1O345", "letter O"),
        ("鲁E12I45", "letter I"), ("鲁E123挂", "four letters or digits"), ("鲁E12#45", "'#'"), ("鲁IA1234", "issuing authority"),
    ])
    func malformed(_ raw: String, _ why: String) {
        guard case .failure(let e) = PlateNumber.parse(raw) else {
            Issue.record("\(raw) should be malformed")
            return
        }
        #expect(e.reason.contains(why), "\(raw): \(e.reason)")
        #expect(e.description.contains("malformed"))
    }

    @Test("a tractor and its trailer are different plates")
    func trailer() throws {
        #expect(try PlateNumber("鲁E1234挂") != PlateNumber("鲁E12345"))
    }
}
