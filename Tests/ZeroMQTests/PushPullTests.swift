import Testing
import ZeroMQ

@Suite("PUSH/PULL delivers frames")
struct PushPullTests {
    @Test("over inproc")
    func inproc() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://push-pull")

        try push.send("hello")

        let frame = try #require(try pull.receive())
        #expect(frame.string == "hello")
        #expect(frame.more == false)
    }

    @Test("over tcp loopback, with the wildcard port learned from lastEndpoint")
    func tcpLoopback() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        try pull.setReceiveTimeout(Int(patience * 1000))
        try pull.bind(loopbackAnyPort)

        let endpoint = try #require(try pull.lastEndpoint)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = try #require(Int(endpoint.dropFirst("tcp://127.0.0.1:".count)))
        #expect(port > 0)

        let push = try context.socket(.push)
        try push.connect(endpoint)
        try push.send([1, 2, 3])

        #expect(try pull.receive() == Frame(bytes: [1, 2, 3], more: false))
    }

    @Test("lastEndpoint is nil before any bind or connect")
    func lastEndpointBeforeBind() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        #expect(try socket.lastEndpoint == nil)
    }

    @Test("every send overload puts the same bytes on the wire")
    func sendOverloads() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://overloads")
        let bytes: [UInt8] = Array(text: "abc")

        try push.send(bytes)
        try push.send("abc")
        try push.send(bytes[...])
        try push.send("xabc".utf8.dropFirst())
        try bytes.withUnsafeBytes { _ = try push.send($0) }
        try push.send(AnyCollection(bytes))  // not contiguous: goes through a copy

        for _ in 0..<6 {
            #expect(try pull.receive()?.bytes == bytes)
        }
    }

    @Test("empty frames are delivered as empty frames")
    func emptyFrame() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://empty")

        try push.send([UInt8]())

        #expect(try pull.receive() == Frame(bytes: [], more: false))
    }

    @Test("the zero-copy receive lends the frame's bytes to the closure")
    func zeroCopyReceive() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://zero-copy")
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }

        try push.send(payload, more: true)
        try push.send("tail")

        let sum = try pull.receive { buffer, more in
            #expect(more)
            #expect(buffer.count == 1000)
            return buffer.reduce(0) { $0 + Int($1) }
        }
        #expect(sum == payload.reduce(0) { $0 + Int($1) })
        let tail = try pull.receive { buffer, more in (String(decoding: buffer, as: UTF8.self), more) }
        #expect(tail?.0 == "tail")
        #expect(tail?.1 == false)
    }

    @Test("an error thrown by the zero-copy closure reaches the caller")
    func zeroCopyRethrows() throws {
        struct Rejected: Error {}
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://rethrow")

        try push.send("bad")
        try push.send("good")

        #expect(throws: Rejected.self) {
            try pull.receive { _, _ in throw Rejected() }
        }
        // The socket is still usable: the next frame arrives normally.
        #expect(try pull.receive()?.string == "good")
    }
}
