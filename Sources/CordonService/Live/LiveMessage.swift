import CordonCore
import CordonWire

/// One WebSocket text message of docs/protocol.md, "HTTP", already encoded.
public struct LiveMessage: Sendable {
    public let topic: String
    /// `{"topic":…,"body":…}` as UTF-8.
    public let text: [UInt8]

    /// Wraps a published event's body without parsing it again.
    static func event(topic: String, body: [UInt8]) -> LiveMessage {
        var t = Array("{\"topic\":".utf8)
        t += JSONText.encodeBytes(.string(topic))
        t += Array(",\"body\":".utf8)
        t += body
        t.append(UInt8(ascii: "}"))
        return LiveMessage(topic: topic, text: t)
    }

    /// Told to a client that fell behind: reload state from the API.
    public static let resync = LiveMessage(topic: "resync", text: Array("{\"topic\":\"resync\"}".utf8))
}
