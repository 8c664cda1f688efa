/// When a qualification or an induction stops being valid.
///
/// A bare date (`2027-06-30`) is valid to the end of that day in the site's time zone
/// (docs/protocol.md, "Control requests"); an RFC 3339 instant is valid until that instant.
public enum Expiry: Hashable, Sendable {
    case endOfDay(year: Int, month: Int, day: Int)
    case instant(Instant)

    /// Parses `YYYY-MM-DD` or an RFC 3339 instant.
    public init?(text: String) {
        if let d = RFC3339.parseDate(text) {
            self = .endOfDay(year: d.year, month: d.month, day: d.day)
        } else if let t = RFC3339.parse(text) {
            self = .instant(t)
        } else {
            return nil
        }
    }

    /// The last valid instant is strictly before this one.
    public func end(utcOffsetSeconds: Int) -> Instant {
        switch self {
        case .instant(let t):
            return t
        case .endOfDay(let y, let m, let d):
            let days = RFC3339.daysFromCivil(year: y, month: m, day: d) + 1
            return Instant(milliseconds: (Int64(days) * 86_400 - Int64(utcOffsetSeconds)) * 1000)
        }
    }

    /// True while `t` is before the end of validity.
    public func isValid(at t: Instant, utcOffsetSeconds: Int) -> Bool {
        t < end(utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The text form it was given in.
    public var text: String {
        switch self {
        case .instant(let t): return t.rfc3339
        case .endOfDay(let y, let m, let d):
            func pad(_ v: Int, _ w: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: max(0, w - s.count)) + s
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        }
    }
}

extension Expiry: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let e = Expiry(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is neither YYYY-MM-DD nor an RFC 3339 instant"))
        }
        self = e
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
