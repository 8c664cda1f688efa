/// Why ``JSONText`` could not read a text: where, and what it expected there.
public struct JSONTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the text (counted from the first byte, a byte order mark included).
    public var offset: Int
    /// What was expected at `offset`, e.g. `"',' or '}' in an object"`.
    public var expected: String

    /// An error at `offset` where `expected` was expected.
    public init(offset: Int, expected: String) {
        self.offset = offset
        self.expected = expected
    }

    /// `invalid JSON at byte 17: expected ':' after a member name`.
    public var description: String { "invalid JSON at byte \(offset): expected \(expected)" }
}
