import CordonCore
import Foundation

/// The JSON of the store's own columns (qualifications, violation details, raised violations).
///
/// Keys are sorted so that the same value always gives the same text. A violation must never
/// fail to be stored (and so to be published) because a number in it was not finite: JSON has
/// no such numbers, so details store them as null (see ``finite(_:)``), and anything else that
/// slips through is written as a marker string rather than failing.
enum StoreJSON {
    private static let nonFinite = (positive: "\u{1}cordon:+inf", negative: "\u{1}cordon:-inf", nan: "\u{1}cordon:nan")

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// `details` with every non-finite number replaced by null, as JSON can carry it.
    static func finite(_ details: [String: Value]) -> [String: Value] {
        func clean(_ v: Value) -> Value {
            switch v {
            case .number(let n): return n.isFinite ? v : .null
            case .array(let a): return .array(a.map(clean))
            case .object(let o): return .object(o.mapValues(clean))
            case .null, .bool, .string: return v
            }
        }
        return details.mapValues(clean)
    }
}
