/// One received frame (message part), copied out of libzmq so it can outlive the socket call.
public struct Frame: Sendable, Hashable {
    /// The frame's payload.
    public var bytes: [UInt8]
    /// Whether more frames of the same multipart message follow this one.
    public var more: Bool

    /// Makes a frame, mostly for tests and for callers building expected values.
    public init(bytes: [UInt8], more: Bool = false) {
        self.bytes = bytes
        self.more = more
    }

    /// The payload decoded as UTF-8; invalid sequences become U+FFFD rather than failing,
    /// since peers are not trusted to send valid text.
    public var string: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
