import CordonCore

/// The decoder of ingest frames (docs/protocol.md, "Ingest messages"): hand-written, because it runs once per
/// position and Foundation's decoders are several times too slow for the target rate.
///
/// A frame is one JSON object or a JSON array of objects (a batch), with optional whitespace
/// around it. A frame that is not valid JSON is one rejection as a whole (`malformed-json`) and
/// nothing of it is delivered; in a valid batch every element is judged on its own.
///
/// The language is RFC 8259 over UTF-8, and it agrees with `JSONSerialization` on every message
/// (the differential test in `CordonWireTests` holds it to that), with these deliberate
/// differences, all of them refusals of text that RFC 8259 does not allow either:
/// - a trailing comma (`[1,]`, `{"a":1,}`) is malformed; JSONSerialization on Linux takes it;
/// - only UTF-8 is read; JSONSerialization guesses UTF-16/32 from zero bytes and BOMs;
/// - nesting deeper than 64 is malformed (JSONSerialization allows 512);
/// - a number beyond the range of a double (`1e999`) refuses its message as `non-finite`,
///   where JSONSerialization refuses the whole frame. Like JSONSerialization, only numbers that
///   are kept count: in `{"a":1e999,"a":1}` the second member replaces the first.
/// A leading UTF-8 byte order mark is skipped, as JSONSerialization does. Duplicate members keep
/// the last value, as JSONSerialization does.
///
/// Allocation: none per message beyond the strings the message carries (identifiers of up to
/// 15 bytes are stored inline by Swift and allocate nothing); a batch allocates one array.
public struct IngestDecoder: Sendable {
    /// Whether replay control lines are accepted (`cordon replay`, never the ingest socket).
    public var allowControl: Bool
    /// Frames longer than this are refused unread (`too-large`).
    public var maxFrameBytes: Int

    /// - Parameters:
    ///   - allowControl: accept `{"type":"control",…}` lines (replay input).
    ///   - maxFrameBytes: the largest frame read; longer ones are refused as `too-large`.
    public init(allowControl: Bool = false, maxFrameBytes: Int = 1 << 20) {
        self.allowControl = allowControl
        self.maxFrameBytes = maxFrameBytes
    }

    /// Decodes one frame, calling `body` once per item in frame order. Nothing is delivered
    /// before the whole frame is known to be well-formed JSON.
    public func decode(_ frame: UnsafeRawBufferPointer, _ body: (DecodedItem) -> Void) {
        let whole = 0..<frame.count
        guard frame.count <= maxFrameBytes else {
            body(.rejected(.tooLarge(frame.count), raw: whole))
            return
        }
        MessageFields.withFields { fields in
            decode(frame, into: &fields, body)
        }
    }

    private func decode(_ frame: UnsafeRawBufferPointer, into fields: inout MessageFields, _ body: (DecodedItem) -> Void) {
        let whole = 0..<frame.count
        let builder = MessageBuilder(allowControl: allowControl)
        var s = JSONScanner(frame)
        s.skipByteOrderMark()
        s.skipWhitespace()
        do throws(JSONScanner.Failure) {
            switch s.current {
            case 0x7B:  // one message
                try fields.scan(&s, depth: 1)
                try Self.expectEnd(&s)
                builder.build(fields, s, body)
            case 0x5B:  // a batch: held back until the closing bracket proves the frame sound
                var items: [DecodedItem] = []
                s.pos += 1
                s.skipWhitespace()
                if s.current == 0x5D {
                    s.pos += 1
                } else {
                    while true {
                        if s.current == 0x7B {
                            try fields.scan(&s, depth: 2)
                            builder.build(fields, s) { items.append($0) }
                        } else {
                            let start = s.pos
                            var sawNonFinite = false
                            try s.skipValue(depth: 2, sawNonFinite: &sawNonFinite)
                            let nonFinite = sawNonFinite && s.keepsNonFinite(at: start)
                            items.append(.rejected(Self.notAnObject(nonFinite), raw: start..<s.pos))
                        }
                        s.skipWhitespace()
                        if s.current == 0x2C {
                            s.pos += 1
                            s.skipWhitespace()
                        } else if s.current == 0x5D {
                            s.pos += 1
                            break
                        } else {
                            throw s.fail("',' or ']' in an array")
                        }
                    }
                }
                try Self.expectEnd(&s)
                for item in items { body(item) }
            default:  // valid JSON, perhaps, but not a message
                let start = s.pos
                var sawNonFinite = false
                try s.skipValue(depth: 1, sawNonFinite: &sawNonFinite)
                let stop = s.pos
                try Self.expectEnd(&s)
                body(.rejected(Self.notAnObject(sawNonFinite && s.keepsNonFinite(at: start)), raw: start..<stop))
            }
        } catch {
            body(.rejected(.malformedJSON("at byte \(error.offset): expected \(error.expected)"), raw: whole))
        }
    }

    /// Decodes one frame held in an array, as the buffer form of `decode` does.
    public func decode(_ bytes: [UInt8], _ body: (DecodedItem) -> Void) {
        bytes.withUnsafeBytes { decode($0, body) }
    }

    private static func notAnObject(_ nonFinite: Bool) -> RejectReason {
        if nonFinite { return RejectReason("non-finite", "a number is beyond the range of a double") }
        return RejectReason("wrong-type", "a message must be a JSON object")
    }

    private static func expectEnd(_ s: inout JSONScanner) throws(JSONScanner.Failure) {
        s.skipWhitespace()
        guard s.atEnd else { throw s.fail("the end of the frame") }
    }
}
