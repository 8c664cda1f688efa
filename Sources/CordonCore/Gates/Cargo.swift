/// Dangerous goods on a booked truck: UN number and hazard class (GB 6944 / the UN Model
/// Regulations), as a waybill states them.
public struct Cargo: Sendable, Hashable, Codable {
    /// Four digits, without the `UN` prefix (`1203` is petrol).
    public var un: String
    /// The class, with its division where the class has them (`3`, `2.3`, `1.1D`).
    public var hazardClass: String
    /// The proper shipping name, when given.
    public var name: String?

    public init(un: String, hazardClass: String, name: String? = nil) {
        self.un = un
        self.hazardClass = hazardClass
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case un
        case hazardClass = "class"
        case name
    }

    /// A UN number in canonical form (four digits), or nil when `text` is not one.
    /// Accepts `1203`, `UN1203`, `UN 1203` (any case).
    public static func unNumber(_ text: String) -> String? {
        var s = PlateNumber.normalize(text)  // half-width, upper case, no spaces or separators
        if s.hasPrefix("UN") { s.removeFirst(2) }
        guard s.utf8.count == 4, s.utf8.allSatisfy({ (48...57).contains($0) }), s != "0000" else { return nil }
        return s
    }

    /// The classes of dangerous goods and the divisions of those that have them.
    static let divisions: [Character: Set<String>] = [
        "1": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"], "2": ["2.1", "2.2", "2.3"], "3": [],
        "4": ["4.1", "4.2", "4.3"], "5": ["5.1", "5.2"], "6": ["6.1", "6.2"], "7": [], "8": [], "9": [],
    ]

    /// A hazard class in canonical form, or nil. A class is `1`–`9`; a division is one of
    /// 1.1–1.6, 2.1–2.3, 4.1–4.3, 5.1–5.2, 6.1–6.2; class 1 may carry its compatibility group
    /// letter (`1.1D`).
    public static func hazardClass(_ text: String) -> String? {
        // Half-width, upper case, no spaces; the dot is the division's and stays.
        let s = String(String.UnicodeScalarView(text.unicodeScalars.compactMap { c -> Unicode.Scalar? in
            var v = c.value
            if v >= 0xFF01, v <= 0xFF5E { v -= 0xFEE0 }
            if v >= 0x61, v <= 0x7A { v -= 0x20 }
            return v == 0x20 || v == 0x3000 ? nil : Unicode.Scalar(v)
        }))
        guard let first = s.first, let divs = divisions[first] else { return nil }
        if s.count == 1 { return s }
        var division = s
        if first == "1", s.count == 4, let g = s.last, "ABCDEFGHJKLNS".contains(g) { division = String(s.dropLast()) }
        return divs.contains(division) ? s : nil
    }
}
