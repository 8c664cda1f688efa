import CordonCore

/// The byte-level JSON reader shared by ``IngestDecoder`` (hot path) and ``JSONText`` (everything
/// else), so that both accept exactly the same language: RFC 8259, UTF-8 only.
///
/// It reads from borrowed memory and never copies the input. Reading past the end yields the
/// byte 0, which is never valid where JSON expects structure, so most bounds checks fold into
/// the grammar checks themselves.
struct JSONScanner {
    /// Nesting deeper than this is refused, so that hostile input cannot exhaust the stack
    /// (the value readers recurse once per level).
    static let maxDepth = 64

    /// A syntax error: where, and what was expected there.
    struct Failure: Error {
        var offset: Int
        var expected: String
    }

    /// A string as it sits in the input: the bytes between the quotes, and whether any escape
    /// must be resolved before use (most strings have none and are used in place).
    struct StringToken {
        var range: Range<Int>
        var escaped: Bool
    }

    let buf: UnsafeRawBufferPointer
    let end: Int
    var pos: Int

    init(_ buf: UnsafeRawBufferPointer, at pos: Int = 0) {
        self.buf = buf
        self.end = buf.count
        self.pos = pos
    }

    var atEnd: Bool { pos >= end }

    /// The byte at `i`, or 0 past the end.
    @inline(__always)
    func byte(_ i: Int) -> UInt8 {
        i < end ? buf[i] : 0
    }

    @inline(__always)
    var current: UInt8 { byte(pos) }

    @inline(__always)
    func fail(_ expected: String) -> Failure {
        Failure(offset: pos, expected: pos >= end ? expected + " (the input ended)" : expected)
    }

    /// Skips a UTF-8 byte order mark at the very start. RFC 8259 lets a parser ignore it, and
    /// JSONSerialization does, so files saved by Windows editors still load.
    mutating func skipByteOrderMark() {
        if pos == 0, byte(0) == 0xEF, byte(1) == 0xBB, byte(2) == 0xBF { pos = 3 }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            switch buf[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func expect(_ c: UInt8, _ what: String) throws(Failure) {
        guard current == c else { throw fail(what) }
        pos += 1
    }

    // MARK: Literals

    /// Reads `true`, `false` or `null` at `pos`, returning which one.
    mutating func scanLiteral() throws(Failure) -> Value {
        switch current {
        case UInt8(ascii: "t"):
            if byte(pos + 1) == 0x72, byte(pos + 2) == 0x75, byte(pos + 3) == 0x65 { pos += 4; return .bool(true) }
        case UInt8(ascii: "f"):
            if byte(pos + 1) == 0x61, byte(pos + 2) == 0x6C, byte(pos + 3) == 0x73, byte(pos + 4) == 0x65 {
                pos += 5
                return .bool(false)
            }
        case UInt8(ascii: "n"):
            if byte(pos + 1) == 0x75, byte(pos + 2) == 0x6C, byte(pos + 3) == 0x6C { pos += 4; return .null }
        default:
            break
        }
        throw fail("a value")
    }

    // MARK: Strings

    /// Reads a string at `pos` (which must be at the opening quote), validating escapes,
    /// surrogate pairs and UTF-8, and refusing raw control characters.
    mutating func scanString() throws(Failure) -> StringToken {
        pos += 1
        let start = pos
        var escaped = false
        while true {
            let c = current
            if c == 0x22 {
                let token = StringToken(range: start..<pos, escaped: escaped)
                pos += 1
                return token
            } else if c == 0x5C {
                escaped = true
                try scanEscape()
            } else if c < 0x20 {
                throw fail(pos >= end ? "a closing quote" : "no raw control character in a string (escape it)")
            } else if c < 0x80 {
                pos += 1
            } else {
                try scanMultiByte(c)
            }
        }
    }

    /// One escape sequence at `pos` (at the backslash).
    private mutating func scanEscape() throws(Failure) {
        pos += 1
        switch current {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
            pos += 1
        case 0x75:  // u
            pos += 1
            guard let unit = hex4(at: pos) else { throw fail("four hex digits after \\u") }
            pos += 4
            if unit >= 0xD800, unit <= 0xDBFF {
                // A high surrogate is only half a character: JSONSerialization, like Swift's
                // String, refuses one that is not followed by its low half.
                guard current == 0x5C, byte(pos + 1) == 0x75, let low = hex4(at: pos + 2), low >= 0xDC00, low <= 0xDFFF
                else { throw fail("a \\u low surrogate after a high surrogate") }
                pos += 6
            } else if unit >= 0xDC00, unit <= 0xDFFF {
                throw Failure(offset: pos - 6, expected: "no lone low surrogate")
            }
        default:
            throw fail("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    /// Four hex digits at `i` as a UTF-16 code unit, or nil.
    @inline(__always)
    func hex4(at i: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = byte(i + k)
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// One multi-byte UTF-8 sequence starting with `lead` at `pos`, per Unicode table 3-7:
    /// no overlong forms, no encoded surrogates, nothing above U+10FFFF.
    private mutating func scanMultiByte(_ lead: UInt8) throws(Failure) {
        @inline(__always) func cont(_ b: UInt8, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool { b >= lo && b <= hi }
        let b1 = byte(pos + 1)
        switch lead {
        case 0xC2...0xDF:
            if cont(b1) { pos += 2; return }
        case 0xE0...0xEF:
            let ok1: Bool
            switch lead {
            case 0xE0: ok1 = cont(b1, 0xA0, 0xBF)
            case 0xED: ok1 = cont(b1, 0x80, 0x9F)
            default: ok1 = cont(b1)
            }
            if ok1, cont(byte(pos + 2)) { pos += 3; return }
        case 0xF0...0xF4:
            let ok1: Bool
            switch lead {
            case 0xF0: ok1 = cont(b1, 0x90, 0xBF)
            case 0xF4: ok1 = cont(b1, 0x80, 0x8F)
            default: ok1 = cont(b1)
            }
            if ok1, cont(byte(pos + 2)), cont(byte(pos + 3)) { pos += 4; return }
        default:
            break
        }
        throw fail("valid UTF-8")
    }

    /// The text of a string token, escapes resolved.
    func string(_ token: StringToken) -> String {
        if !token.escaped {
            return String(decoding: UnsafeRawBufferPointer(rebasing: buf[token.range]), as: UTF8.self)
        }
        return String(decoding: unescapedBytes(token), as: UTF8.self)
    }

    /// The UTF-8 bytes of a string token, escapes resolved. The token was validated by
    /// ``scanString()``, so the sequences here are well formed; should one not be, it becomes
    /// U+FFFD rather than a trap.
    func unescapedBytes(_ token: StringToken) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(token.range.count)
        var i = token.range.lowerBound
        let stop = token.range.upperBound
        while i < stop {
            let c = buf[i]
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            let e = byte(i + 1)
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(at: i) ?? 0xFFFD
                i += 4
                if scalar >= 0xD800, scalar <= 0xDBFF, byte(i) == 0x5C, let low = hex4(at: i + 2), low >= 0xDC00,
                   low <= 0xDFFF
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default:
                out.append(e)  // " \ /
            }
        }
        return out
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// Whether a string token's text is exactly `literal` (ASCII), without building a String
    /// when it has no escapes.
    func string(_ token: StringToken, equals literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        if token.escaped {
            let bytes = unescapedBytes(token)
            guard bytes.count == n else { return false }
            let p = literal.utf8Start
            for k in 0..<n where bytes[k] != p[k] { return false }
            return true
        }
        guard token.range.count == n else { return false }
        let p = literal.utf8Start
        let base = token.range.lowerBound
        for k in 0..<n where buf[base + k] != p[k] { return false }
        return true
    }

    // MARK: Numbers

    /// Reads a number at `pos` per the JSON grammar and returns its value correctly rounded to
    /// the nearest double; infinity when it overflows (the caller decides what that means).
    ///
    /// Most numbers on the wire have few digits: those are converted exactly with one
    /// floating-point operation (Clinger's fast path: an integer below 2^53 times or divided by
    /// an exact power of ten). The rest go through the standard library's correctly rounded
    /// conversion of the text.
    mutating func scanNumber() throws(Failure) -> Double {
        let start = pos
        var negative = false
        if current == 0x2D {
            negative = true
            pos += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits held in `mantissa`
        var dropped = false  // a nonzero digit did not fit in `mantissa`
        var exponent = 0
        let first = current
        if first == 0x30 {
            pos += 1
        } else if first >= 0x31, first <= 0x39 {
            repeat {
                let d = UInt64(current &- 0x30)
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ d
                    digits += 1
                } else {
                    exponent += 1
                    if d != 0 { dropped = true }
                }
                pos += 1
            } while isDigit(current)
        } else {
            throw fail("a digit")
        }
        if current == 0x2E {
            pos += 1
            guard isDigit(current) else { throw fail("a digit after the decimal point") }
            repeat {
                let d = UInt64(current &- 0x30)
                if mantissa == 0, d == 0 {
                    exponent -= 1  // leading zeros of a fraction take no significant digit
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ d
                    digits += 1
                    exponent -= 1
                } else if d != 0 {
                    dropped = true
                }
                pos += 1
            } while isDigit(current)
        }
        if current | 0x20 == 0x65 {  // e E
            pos += 1
            var negativeExponent = false
            if current == 0x2B || current == 0x2D {
                negativeExponent = current == 0x2D
                pos += 1
            }
            guard isDigit(current) else { throw fail("a digit in the exponent") }
            var e = 0
            repeat {
                // Past a million the result is 0 or infinity either way; stop growing.
                if e < 1_000_000 { e = e * 10 + Int(current &- 0x30) }
                pos += 1
            } while isDigit(current)
            exponent += negativeExponent ? -e : e
        }
        if mantissa == 0 {
            return negative ? -0.0 : 0.0
        }
        if !dropped, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var v = Double(mantissa)
            if exponent < 0 { v /= Self.powerOfTen(-exponent) } else if exponent > 0 { v *= Self.powerOfTen(exponent) }
            return negative ? -v : v
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self)
        // The text is a valid JSON number, which the standard library always converts; nil
        // cannot happen, and would be treated as out of range.
        return Double(text) ?? .infinity
    }

    @inline(__always)
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// 10^n for 0 ≤ n ≤ 22: exactly representable, so the fast path rounds only once.
    @inline(__always)
    static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    // MARK: Whole values

    /// Reads and discards one value of any kind, checking its syntax. `sawNonFinite` is set when
    /// a number in it overflows a double; whether that number is kept (a later duplicate member
    /// may replace it) is for ``keepsNonFinite(_:)`` to say.
    mutating func skipValue(depth: Int, sawNonFinite: inout Bool) throws(Failure) {
        switch current {
        case 0x22:
            _ = try scanString()
        case 0x7B:
            guard depth <= Self.maxDepth else { throw fail("nesting no deeper than \(Self.maxDepth)") }
            pos += 1
            skipWhitespace()
            if current == 0x7D { pos += 1; return }
            while true {
                guard current == 0x22 else { throw fail("a member name (a string)") }
                _ = try scanString()
                skipWhitespace()
                try expect(0x3A, "':' after a member name")
                skipWhitespace()
                try skipValue(depth: depth + 1, sawNonFinite: &sawNonFinite)
                skipWhitespace()
                if current == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if current == 0x7D {
                    pos += 1
                    return
                } else {
                    throw fail("',' or '}' in an object")
                }
            }
        case 0x5B:
            guard depth <= Self.maxDepth else { throw fail("nesting no deeper than \(Self.maxDepth)") }
            pos += 1
            skipWhitespace()
            if current == 0x5D { pos += 1; return }
            while true {
                try skipValue(depth: depth + 1, sawNonFinite: &sawNonFinite)
                skipWhitespace()
                if current == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if current == 0x5D {
                    pos += 1
                    return
                } else {
                    throw fail("',' or ']' in an array")
                }
            }
        case 0x2D, 0x30...0x39:
            if !(try scanNumber()).isFinite { sawNonFinite = true }
        default:
            _ = try scanLiteral()
        }
    }

    /// Reads one value into a ``Value`` tree. Duplicate member names keep the last value, as
    /// JSONSerialization does (both use Swift's `Dictionary`, so names that are canonically
    /// equivalent count as duplicates too). A number that overflows is kept as infinity, and
    /// `nonFinite` receives the offset of the first one; the caller decides.
    mutating func parseValue(depth: Int, nonFinite: inout Int?) throws(Failure) -> Value {
        switch current {
        case 0x22:
            return .string(string(try scanString()))
        case 0x7B:
            guard depth <= Self.maxDepth else { throw fail("nesting no deeper than \(Self.maxDepth)") }
            pos += 1
            skipWhitespace()
            var members: [String: Value] = [:]
            if current == 0x7D { pos += 1; return .object(members) }
            while true {
                guard current == 0x22 else { throw fail("a member name (a string)") }
                let key = string(try scanString())
                skipWhitespace()
                try expect(0x3A, "':' after a member name")
                skipWhitespace()
                members[key] = try parseValue(depth: depth + 1, nonFinite: &nonFinite)
                skipWhitespace()
                if current == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if current == 0x7D {
                    pos += 1
                    return .object(members)
                } else {
                    throw fail("',' or '}' in an object")
                }
            }
        case 0x5B:
            guard depth <= Self.maxDepth else { throw fail("nesting no deeper than \(Self.maxDepth)") }
            pos += 1
            skipWhitespace()
            var elements: [Value] = []
            if current == 0x5D { pos += 1; return .array(elements) }
            while true {
                elements.append(try parseValue(depth: depth + 1, nonFinite: &nonFinite))
                skipWhitespace()
                if current == 0x2C {
                    pos += 1
                    skipWhitespace()
                } else if current == 0x5D {
                    pos += 1
                    return .array(elements)
                } else {
                    throw fail("',' or ']' in an array")
                }
            }
        case 0x2D, 0x30...0x39:
            let start = pos
            let v = try scanNumber()
            if !v.isFinite, nonFinite == nil { nonFinite = start }
            return .number(v)
        default:
            return try scanLiteral()
        }
    }

    /// Whether the value at `start`, as kept after duplicate members replaced earlier ones,
    /// holds a number beyond the range of a double.
    ///
    /// JSONSerialization converts a number only when its member survives, so
    /// `{"a":1e999,"a":1}` is valid to it; this rare path (taken only after ``skipValue``
    /// saw an overflow) builds the value the same way and looks.
    func keepsNonFinite(at start: Int) -> Bool {
        keptNonFiniteValue(at: start) != nil
    }

    /// The kept value at `start` when it holds a non-finite number (see ``keepsNonFinite(at:)``).
    func keptNonFiniteValue(at start: Int) -> Value? {
        var sub = JSONScanner(buf, at: start)
        var nonFinite: Int?
        guard let value = try? sub.parseValue(depth: 1, nonFinite: &nonFinite) else { return nil }
        return nonFinite != nil && Self.holdsNonFinite(value) ? value : nil
    }

    static func holdsNonFinite(_ value: Value) -> Bool {
        switch value {
        case .number(let n): return !n.isFinite
        case .array(let elements): return elements.contains(where: holdsNonFinite)
        case .object(let members): return members.values.contains(where: holdsNonFinite)
        default: return false
        }
    }
}
