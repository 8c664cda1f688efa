import CordonCore
@testable import CordonWire
import Foundation
import Testing

/// `JSONScanner.scanString` passes plain bytes over until one needs a closer look (a quote, a
/// backslash, a control character, a multi-byte sequence): it must see each one wherever it
/// falls, whatever comes before and after it.
@Suite("string scanning: every special byte found at every offset")
struct StringScanTests {
    /// Bytes the scan must stop at, plain ones either side of its limits, and broken sequences.
    static let specials: [[UInt8]] = [
        [0x22], [0x5C], [0x5C, 0x6E], [0x5C, 0x75, 0x30, 0x30, 0x34, 0x31], [0x5C, 0x71], [0x00], [0x01], [0x1F],
        [0x20], [0x21], [0x23], [0x5B], [0x5D], [0x7E], [0x7F], [0x80], [0xBF], [0xC3, 0xA9], [0xE8, 0xA1, 0x8C],
        [0xF0, 0x9F, 0x93, 0xA1], [0xC0, 0x80], [0xE8, 0xA1], [0xFF],
    ]

    @Test("a tag with one special byte sequence at every offset reads as JSONSerialization reads it")
    func everyOffset() throws {
        let decoder = IngestDecoder()
        var checked = 0
        for length in 0...20 {
            for offset in 0...length {
                for special in Self.specials {
                    var tag = [UInt8](repeating: UInt8(ascii: "a"), count: offset) + special
                    tag += [UInt8](repeating: UInt8(ascii: "b"), count: length - offset)
                    let frame = Array(#"{"type":"position","t":1795307403948,"x":1,"y":2,"tag":""#.utf8) + tag + Array(#""}"#.utf8)
                    let reference = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any]
                    var items: [DecodedItem] = []
                    decoder.decode(frame) { items.append($0) }
                    let item = try #require(items.count == 1 ? items[0] : nil)
                    switch item {
                    case .rejected(let reason, _) where reason.code == "malformed-json":
                        #expect(reference == nil, "\(tag): JSONSerialization reads it, the decoder calls it malformed")
                    case .message(.position(let p)):
                        #expect(reference?["tag"] as? String == { if case .tag(let t) = p.source { t } else { nil } }(),
                                "\(tag): read differently")
                    default:
                        #expect(reference != nil, "\(tag): JSONSerialization refuses it, the decoder took it as \(item)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 231 * Self.specials.count)
    }
}
