/// A JSON-shaped value: what control requests, replies, registry records and violation
/// details are made of inside the core.
///
/// The core builds and reads these trees but never turns them into text; `CordonWire` does
/// that (keys sorted, so the same tree always gives the same bytes).
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Value])
    case object([String: Value])

    /// Member `key` of an object, or nil.
    public subscript(key: String) -> Value? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [Value]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [String: Value]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// An integer when the number is integral and exactly representable.
    public var intValue: Int? {
        guard case .number(let n) = self, n.isFinite, n == n.rounded(),
              abs(n) <= 9_007_199_254_740_992 else { return nil }
        return Int(n)
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension Value {
    /// A number from an integer.
    public static func int<I: BinaryInteger>(_ i: I) -> Value { .number(Double(i)) }

    /// A string, or `null` when absent.
    public static func optional(_ s: String?) -> Value { s.map(Value.string) ?? .null }

    /// An instant as RFC 3339 text.
    public static func time(_ t: Instant) -> Value { .string(t.rfc3339) }

    /// An object without its null members: optional fields are left out rather than sent as null.
    public static func compact(_ members: [String: Value]) -> Value {
        .object(members.filter { !$0.value.isNull })
    }
}
