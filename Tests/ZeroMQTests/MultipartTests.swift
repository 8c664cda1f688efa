import Testing
import ZeroMQ

@Suite("Multipart messages")
struct MultipartTests {
    @Test("send(frames:) flags every frame but the last as more")
    func moreFlags() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://multipart")

        try push.send(frames: [Array(text: "a"), [], Array(text: "c")])

        let first = try #require(try pull.receive())
        #expect(first == Frame(bytes: Array(text: "a"), more: true))
        #expect(try pull.hasMore)
        #expect(try pull.receive() == Frame(bytes: [], more: true))
        #expect(try pull.receive() == Frame(bytes: Array(text: "c"), more: false))
        #expect(try pull.hasMore == false)
    }

    @Test("receiveMessage collects all frames of one message and no more")
    func receiveMessage() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://message")

        try push.send("key", more: true)
        try push.send("value")
        try push.send(frames: [Array(text: "next")])

        #expect(try pull.receiveMessage() == [Array(text: "key"), Array(text: "value")])
        #expect(try pull.receiveMessage() == [Array(text: "next")])
        #expect(try pull.receiveMessage(dontWait: true) == nil)
    }

    @Test("sending no frames sends nothing")
    func noFrames() throws {
        let context = try ZMQContext()
        let (push, pull) = try pushPullPair(context, endpoint: "inproc://nothing")

        #expect(try push.send(frames: []))

        #expect(try pull.receive(dontWait: true) == nil)
    }
}
