/// The lines of `cordon replay`'s output (docs/protocol.md, "Replay"), without the newline.
public enum ReplayOutput {
    /// `{"topic":"violation.speeding","body":{…}}`: `body` is inserted as it was encoded, so the
    /// line carries exactly the bytes a subscriber would have received.
    public static func eventLine(topic: String, body: [UInt8]) -> String {
        var w = JSONWriter(capacity: body.count + topic.utf8.count + 24)
        w.append(json: #"{"topic":"#.utf8)
        w.write(string: topic)
        w.append(json: #","body":"#.utf8)
        w.append(json: body)
        w.append(json: "}".utf8)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// `{"reply":{…}}` around a control reply as ``ReplyEncoder`` made it.
    public static func replyLine(_ reply: [UInt8]) -> String {
        var w = JSONWriter(capacity: reply.count + 10)
        w.append(json: #"{"reply":"#.utf8)
        w.append(json: reply)
        w.append(json: "}".utf8)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
