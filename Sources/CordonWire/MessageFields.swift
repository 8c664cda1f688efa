import CordonCore

/// The members of one ingest message object that the decoder knows, as found in the frame:
/// numbers and booleans already converted, strings, objects and arrays as byte ranges to be
/// read only if the message type needs them.
///
/// Reading all members first and judging them afterwards is what lets `type` come anywhere in
/// the object, and what makes a duplicate member keep its last value, as JSONSerialization does.
///
/// The slots live in stack memory lent for the whole frame (see ``withFields(_:)``): no
/// allocation per message, and nothing large is copied when the fields are passed around.
struct MessageFields {
    /// One member's value.
    struct Slot {
        enum Kind: UInt8 {
            case bool, number, string, object, array
        }

        var kind: Kind
        /// The boolean's value, or whether the string has escapes.
        var flag: Bool
        /// The value's bytes (for a string: between the quotes).
        var range: Range<Int>
        var number: Double

        var stringToken: JSONScanner.StringToken { .init(range: range, escaped: flag) }
    }

    /// Bit `k` set: slot `k` holds a value. A member that is absent or `null` has its bit clear;
    /// the slots of clear bits are never read (they may be uninitialized).
    private var present: UInt32 = 0
    private let slots: UnsafeMutableBufferPointer<Slot>
    /// Whether some number in the object overflows a double (perhaps in a member a later
    /// duplicate replaced: the builder looks closer).
    private(set) var sawNonFinite = false
    /// The whole object's bytes, braces included.
    private(set) var range: Range<Int> = 0..<0

    private init(slots: UnsafeMutableBufferPointer<Slot>) {
        self.slots = slots
    }

    /// Runs `body` with fields whose slots are on the stack, valid during `body` only.
    static func withFields<R>(_ body: (inout MessageFields) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Slot.self, capacity: FieldKey.caseCount) { buffer in
            var fields = MessageFields(slots: buffer)
            return body(&fields)
        }
    }

    /// The value of `key`, or nil when it is absent or `null`.
    @inline(__always)
    subscript(key: FieldKey) -> Slot? {
        present & (1 << UInt32(key.rawValue)) != 0 ? slots[key.rawValue] : nil
    }

    /// Whether `key` has a value (neither absent nor `null`).
    @inline(__always)
    func has(_ key: FieldKey) -> Bool {
        present & (1 << UInt32(key.rawValue)) != 0
    }

    /// Reads the object at the scanner's position (at `{`), replacing whatever was held.
    mutating func scan(_ s: inout JSONScanner, depth: Int) throws(JSONScanner.Failure) {
        present = 0
        sawNonFinite = false
        let start = s.pos
        guard depth <= JSONScanner.maxDepth else { throw s.fail("nesting no deeper than \(JSONScanner.maxDepth)") }
        s.pos += 1
        s.skipWhitespace()
        if s.current == 0x7D {
            s.pos += 1
            range = start..<s.pos
            return
        }
        while true {
            guard s.current == 0x22 else { throw s.fail("a member name (a string)") }
            let name = try s.scanString()
            s.skipWhitespace()
            try s.expect(0x3A, "':' after a member name")
            s.skipWhitespace()
            let key: FieldKey?
            if name.escaped {
                key = s.unescapedBytes(name).withUnsafeBytes { FieldKey.lookup($0) }
            } else {
                key = FieldKey.lookup(UnsafeRawBufferPointer(rebasing: s.buf[name.range]))
            }
            let valueStart = s.pos
            let slot: Slot?  // nil: null
            switch s.current {
            case 0x22:
                let token = try s.scanString()
                slot = Slot(kind: .string, flag: token.escaped, range: token.range, number: 0)
            case 0x2D, 0x30...0x39:
                let v = try s.scanNumber()
                if !v.isFinite { sawNonFinite = true }
                slot = Slot(kind: .number, flag: false, range: valueStart..<s.pos, number: v)
            case 0x7B, 0x5B:
                try s.skipValue(depth: depth + 1, sawNonFinite: &sawNonFinite)
                let kind: Slot.Kind = s.buf[valueStart] == 0x7B ? .object : .array
                slot = Slot(kind: kind, flag: false, range: valueStart..<s.pos, number: 0)
            default:
                if case .bool(let b) = try s.scanLiteral() {
                    slot = Slot(kind: .bool, flag: b, range: valueStart..<s.pos, number: 0)
                } else {
                    slot = nil
                }
            }
            if let key {
                let bit: UInt32 = 1 << UInt32(key.rawValue)
                if let slot {
                    slots.initializeElement(at: key.rawValue, to: slot)
                    present |= bit
                } else {
                    // `null` means absent, also when it repeats a member given before.
                    present &= ~bit
                }
            }
            s.skipWhitespace()
            if s.current == 0x2C {
                s.pos += 1
                s.skipWhitespace()
            } else if s.current == 0x7D {
                s.pos += 1
                range = start..<s.pos
                return
            } else {
                throw s.fail("',' or '}' in an object")
            }
        }
    }
}
