/// A Chinese licence plate, read the way gate cameras, GNSS terminals and people type it.
///
/// Plates as they arrive are not comparable as text: full-width letters and digits
/// (`鲁Ｅ１２３４５`), spaces and separators (`鲁E·12345`, `鲁E-12345`), lower case, and the
/// trailer suffix in brackets (`鲁E1234(挂)`) all occur. Every comparison goes through
/// ``normalize(_:)``, which only ever removes or maps characters that carry no meaning; it
/// never guesses (it does not turn `O` into `0`, nor add a missing character).
///
/// ``init(_:)`` also validates the result against the formats in use (GA 36): a province
/// abbreviation, the issuing authority letter, then
/// - five letters or digits (ordinary plates, 7 characters),
/// - six for new-energy plates (8 characters): a small one starts with D/A/B/C/E (electric) or
///   F/G/H/J/K (hybrid), a large one is five digits then D or F,
/// - four and a suffix character: `挂` (trailer), `学`, `警`, `港`, `澳`, `领`, `试`, `超`,
/// - four or five and `应急` (emergency rescue vehicles).
/// Serial characters never include `I` or `O`. A plate that fits none of these is reported
/// with the reason, not guessed at.
public struct PlateNumber: Hashable, Sendable, CustomStringConvertible {
    /// The family of format a plate follows.
    public enum Kind: String, Sendable, CaseIterable {
        /// Province, letter, five letters or digits.
        case ordinary
        /// Eight characters: a green plate.
        case newEnergy = "new-energy"
        /// A semi-trailer: four characters and `挂`.
        case trailer
        /// Emergency rescue: `应急` suffix.
        case emergency
        /// Learner, police, Hong Kong / Macau, consular, test and over-limit suffixes.
        case special
    }

    /// The canonical text: what the registry is keyed by and events carry.
    public let text: String
    public let kind: Kind

    public var description: String { text }

    /// Normalises and validates `raw`.
    public init(_ raw: String) throws(PlateError) {
        let text = Self.normalize(raw)
        self.text = text
        self.kind = try Self.classify(text, raw: raw)
    }

    /// `raw` normalised, or why it is not a plate.
    public static func parse(_ raw: String) -> Result<PlateNumber, PlateError> {
        do throws(PlateError) { return .success(try PlateNumber(raw)) } catch { return .failure(error) }
    }

    /// Half-width, upper case, without spaces, separators or brackets. Idempotent, total, and
    /// cheap enough for every position: the key of every plate comparison.
    public static func normalize(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        for s in raw.unicodeScalars {
            var v = s.value
            if v >= 0xFF01, v <= 0xFF5E { v -= 0xFEE0 }  // full-width ASCII → ASCII
            if v >= 0x61, v <= 0x7A { v -= 0x20 }  // lower → upper case
            if isIgnorable(v) { continue }
            guard let c = Unicode.Scalar(v) else { continue }
            out.append(c)
        }
        return String(out)
    }

    /// Spaces, separators and brackets: nothing a plate is made of.
    @inline(__always)
    private static func isIgnorable(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000, 0xFEFF, 0x200B...0x200D, 0x2000...0x200A:  // spaces
            return true
        case 0x2D, 0x2E, 0x5F, 0x2F, 0x5C, 0x7C, 0x3A:  // - . _ / \ | :
            return true
        case 0xB7, 0x2022, 0x30FB, 0x2027, 0x2219, 0x22C5, 0xFF65, 0x2010...0x2015, 0x2212:  // dots, dashes
            return true
        case 0x28, 0x29, 0x5B, 0x5D, 0x3010, 0x3011, 0x3014, 0x3015:  // ( ) [ ] 【 】 〔 〕
            return true
        default:
            return false
        }
    }

    static let provinces: Set<Character> = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    static let specialSuffixes: Set<Character> = Set("学警港澳领试超")

    /// Serial characters: digits and letters other than I and O.
    private static func isSerial(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return (48...57).contains(a) || ((65...90).contains(a) && a != 73 && a != 79)
    }

    private static func isDigit(_ c: Character) -> Bool { c.asciiValue.map { (48...57).contains($0) } ?? false }

    private static func classify(_ text: String, raw: String) throws(PlateError) -> Kind {
        func fail(_ why: String) -> PlateError { PlateError(raw: raw, normalized: text, reason: why) }
        let c = Array(text)
        guard !c.isEmpty else { throw fail("it is empty") }
        guard provinces.contains(c[0]) else {
            throw fail("'\(c[0])' is not a province abbreviation (京, 鲁, 冀, …)")
        }
        guard c.count >= 2, let a = c[1].asciiValue, (65...90).contains(a), a != 73 else {
            throw fail("the second character must be the issuing authority's letter (A–Z, not I)")
        }
        let rest = Array(c[2...])
        if rest.count >= 6, String(rest.suffix(2)) == "应急" {
            let serial = rest.dropLast(2)
            guard (4...5).contains(serial.count), serial.allSatisfy(isSerial) else {
                throw fail("an emergency plate has four or five letters or digits before 应急")
            }
            return .emergency
        }
        if let last = rest.last, last == "挂" || specialSuffixes.contains(last) {
            let serial = rest.dropLast()
            guard serial.count == 4, serial.allSatisfy(isSerial) else {
                throw fail("a plate ending in \(last) has exactly four letters or digits before it")
            }
            return last == "挂" ? .trailer : .special
        }
        if let bad = rest.first(where: { !isSerial($0) }) {
            if bad == "I" || bad == "O" { throw fail("plates never use the letter \(bad) (it reads as \(bad == "I" ? "1" : "0"))") }
            throw fail("'\(bad)' cannot appear in a plate's serial")
        }
        switch rest.count {
        case 5:
            return .ordinary
        case 6:
            let energy: Set<Character> = Set("DABCEFGHJK")
            if energy.contains(rest[0]), rest[2...].allSatisfy(isDigit) { return .newEnergy }  // small: D·A1234
            if rest[0..<5].allSatisfy(isDigit), rest[5] == "D" || rest[5] == "F" { return .newEnergy }  // large: 12345·D
            throw fail("eight characters but not a new-energy plate (D/F… then four digits, or five digits then D/F)")
        default:
            throw fail("\(c.count) characters; a plate has 7 (8 for new energy)")
        }
    }
}

/// A plate that could not be read as one: the text as given, normalised, and why.
public struct PlateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var raw: String
    public var normalized: String
    public var reason: String

    public var description: String { "plate '\(raw)' is malformed: \(reason)" }
}
