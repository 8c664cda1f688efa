import CordonCore

/// Appends compact, deterministic JSON text to a byte buffer (the writing half of ``JSONText``).
/// The store writes its own JSON columns with it too (package access).
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func write(_ value: Value) {
        switch value {
        case .null:
            append("null")
        case .bool(let b):
            append(b ? "true" : "false")
        case .number(let n):
            write(number: n)
        case .string(let s):
            write(string: s)
        case .array(let elements):
            bytes.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                write(element)
            }
            bytes.append(0x5D)
        case .object(let members):
            bytes.append(0x7B)
            // Byte order, not String's Unicode ordering: simple, and the same on every platform.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                write(string: member.key)
                bytes.append(0x3A)
                write(member.value)
            }
            bytes.append(0x7D)
        }
    }

    package mutating func write(number n: Double) {
        guard n.isFinite else {
            append("null")
            return
        }
        if n == n.rounded(.towardZero), abs(n) < 9_007_199_254_740_992 {
            // Exactly an integer: print it as one ("42", not "42.0"); -0 prints as 0.
            write(integer: Int64(n))
        } else {
            // Shortest text that reads back to the same double, e.g. "0.1", "1e-05", "1e+300".
            append(n.description)
        }
    }

    /// Decimal digits written straight into the buffer: every event carries times in epoch
    /// milliseconds, and `String(Int64)` would allocate one string for each.
    package mutating func write(integer v: Int64) {
        if v < 0 { bytes.append(0x2D) }
        var m = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
                m /= 10
            } while m > 0
            bytes.append(contentsOf: buf[i...])
        }
    }

    package mutating func write(string s: String) {
        bytes.append(0x22)
        var s = s
        // Most strings (ids, kinds, times) need no escaping: copied whole, not byte by byte.
        let plain = s.withUTF8 { utf8 -> Bool in
            for c in utf8 where c == 0x22 || c == 0x5C || c < 0x20 { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(0x22)
            return
        }
        for c in s.utf8 {
            switch c {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0..<0x20:
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hexDigit(c >> 4), Self.hexDigit(c & 0xF)])
            default: bytes.append(c)
            }
        }
        bytes.append(0x22)
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? 0x30 + v : 0x61 + v - 10
    }

    /// Raw bytes that are already JSON text (a body encoded before).
    mutating func append(json: some Sequence<UInt8>) {
        bytes.append(contentsOf: json)
    }

    /// Literal JSON punctuation and member names, known at compile time.
    package mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
