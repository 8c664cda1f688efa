/// RFC 3339 parsing and formatting without Foundation: the ingest path parses a timestamp
/// per message, and the output must be byte-identical across runs (UTC, milliseconds).
public enum RFC3339 {
    /// Parses `2026-11-22T08:00:00.250Z` or `2026-11-22T16:00:00+08:00` (fractions of any
    /// length, truncated to milliseconds; `t` or `T` separator; `z` or `Z`). Returns nil when
    /// the text is not a valid RFC 3339 date-time with a zone.
    public static func parse<C: Collection>(_ text: C) -> Instant? where C.Element == UInt8 {
        var it = Array(text)[...]
        func digits(_ n: Int) -> Int? {
            guard it.count >= n else { return nil }
            var v = 0
            for _ in 0..<n {
                let c = it.removeFirst()
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        func expect(_ set: [UInt8]) -> Bool {
            guard let c = it.first, set.contains(c) else { return false }
            it.removeFirst()
            return true
        }
        guard let year = digits(4), expect([45]), let month = digits(2), expect([45]),
              let day = digits(2), expect([84, 116, 32]),
              let hour = digits(2), expect([58]), let minute = digits(2), expect([58]),
              let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var millis = 0
        if it.first == 46 {  // '.'
            it.removeFirst()
            var count = 0
            while let c = it.first, c >= 48, c <= 57 {
                it.removeFirst()
                if count < 3 { millis = millis * 10 + Int(c - 48) }
                count += 1
            }
            guard count > 0 else { return nil }
            var scale = count
            while scale < 3 {
                millis *= 10
                scale += 1
            }
        }
        var offsetMinutes = 0
        guard let zone = it.first else { return nil }
        it.removeFirst()
        switch zone {
        case 90, 122:  // Z z
            break
        case 43, 45:  // + -
            guard let oh = digits(2), expect([58]), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offsetMinutes = (oh * 60 + om) * (zone == 45 ? -1 : 1)
        default:
            return nil
        }
        guard it.isEmpty else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
            - Int64(offsetMinutes * 60)
        return Instant(milliseconds: seconds * 1000 + Int64(millis))
    }

    /// Parses a String (see ``parse(_:)``).
    public static func parse(_ text: String) -> Instant? {
        parse(Array(text.utf8))
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, always UTC with milliseconds.
    public static func format(_ instant: Instant) -> String {
        let ms = instant.milliseconds
        var days = ms / 86_400_000
        var rem = ms % 86_400_000
        if rem < 0 { rem += 86_400_000; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let h = Int(rem / 3_600_000), mi = Int(rem / 60_000 % 60), s = Int(rem / 1000 % 60), f = Int(rem % 1000)
        // Written straight into the string's storage: every event carries one or more times.
        return String(unsafeUninitializedCapacity: 24) { out in
            var at = 0
            func put(_ v: Int, _ width: Int) {
                // The lowest `width` digits, most significant first.
                var div = 1
                for _ in 1..<width { div *= 10 }
                while div > 0 {
                    out[at] = UInt8(48 + v / div % 10)
                    at += 1
                    div /= 10
                }
            }
            func char(_ c: UInt8) {
                out[at] = c
                at += 1
            }
            put(y, 4); char(45); put(m, 2); char(45); put(d, 2); char(84)
            put(h, 2); char(58); put(mi, 2); char(58); put(s, 2); char(46); put(f, 3)
            char(90)
            return at
        }
    }

    /// A calendar date (`YYYY-MM-DD`), or nil.
    public static func parseDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y)
        else { return nil }
        return (y, m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of the day `z0` days after 1970-01-01.
    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Instant {
    /// RFC 3339, UTC, milliseconds: the form of every output time.
    public var rfc3339: String { RFC3339.format(self) }
}
