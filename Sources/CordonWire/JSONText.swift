import CordonCore

/// JSON text to and from ``Value``, for everything off the ingest hot path: control requests
/// and replies, registry files, site files, replay output.
///
/// Reading accepts the same language as ``IngestDecoder`` (RFC 8259, UTF-8, nesting up to 64,
/// duplicate members keep the last value, numbers must fit a double). Writing is compact and
/// deterministic: object members sorted by the UTF-8 bytes of their names, so the same tree
/// always gives the same bytes.
public enum JSONText {
    /// Reads one JSON value (whitespace around it allowed, nothing else).
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONTextError) -> Value {
        let result = bytes.withContiguousStorageIfAvailable { parse(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { parse($0) }
        return try result.get()
    }

    /// Reads one JSON value from a string.
    public static func parse(_ string: String) throws(JSONTextError) -> Value {
        try parse(string.utf8)
    }

    private static func parse(_ buffer: UnsafeRawBufferPointer) -> Result<Value, JSONTextError> {
        var s = JSONScanner(buffer)
        s.skipByteOrderMark()
        s.skipWhitespace()
        var nonFinite: Int?
        do throws(JSONScanner.Failure) {
            let value = try s.parseValue(depth: 1, nonFinite: &nonFinite)
            s.skipWhitespace()
            guard s.atEnd else { throw s.fail("the end of the text") }
            // Only a number the tree keeps counts: a later duplicate member may have replaced it.
            if let offset = nonFinite, JSONScanner.holdsNonFinite(value) {
                return .failure(JSONTextError(offset: offset, expected: "a number within the range of a double"))
            }
            return .success(value)
        } catch {
            return .failure(JSONTextError(offset: error.offset, expected: error.expected))
        }
    }

    /// Compact JSON text of `value`: members sorted, no whitespace, non-ASCII kept as UTF-8,
    /// control characters as `\u00XX`, integral numbers below 2^53 without a fraction, other
    /// numbers in Swift's shortest round-trip form, and `null` for a non-finite number (JSON has
    /// none).
    public static func encode(_ value: Value) -> String {
        String(decoding: encodeBytes(value), as: UTF8.self)
    }

    /// ``encode(_:)`` as UTF-8 bytes.
    public static func encodeBytes(_ value: Value) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }
}
