/// The lines of `cordon replay`'s output (docs/protocol.md, "Replay"), without the newline.
public enum ReplayOutput {
    /// `{"topic":"violation.speeding","body":{…}}`: `body` is inserted as it was encoded, so the
    /// line carries exactly the bytes a subscriber would have received.
    public static func eventLine(topic: String, body: [UInt8]) -> String {
        String(decoding: eventBytes(topic: topic, body: body), as: UTF8.self)
    }

    /// ``eventLine(topic:body:)`` as bytes, for writers that never need a `String`.
    public static func eventBytes(topic: String, body: [UInt8]) -> [UInt8] {
        var w = JSONWriter(capacity: body.count + topic.utf8.count + 24)
        w.literal(#"{"topic":"#)
        w.write(string: topic)
        w.literal(#","body":"#)
        w.append(json: body)
        w.literal("}")
        return w.bytes
    }

    /// `{"reply":{…}}` around a control reply as ``ReplyEncoder`` made it.
    public static func replyLine(_ reply: [UInt8]) -> String {
        String(decoding: replyBytes(reply), as: UTF8.self)
    }

    /// ``replyLine(_:)`` as bytes.
    public static func replyBytes(_ reply: [UInt8]) -> [UInt8] {
        var w = JSONWriter(capacity: reply.count + 10)
        w.literal(#"{"reply":"#)
        w.append(json: reply)
        w.literal("}")
        return w.bytes
    }
}
