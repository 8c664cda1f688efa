import Testing
import ZeroMQ

@Suite("maxMessageSize refuses oversized frames")
struct MaxMessageSizeTests {
    @Test("a frame larger than the limit never arrives, while frames within it do")
    func oversizedFrameIsDropped() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        try pull.setMaxMessageSize(64)
        try pull.setReceiveTimeout(300)
        try pull.bind(loopbackAnyPort)
        let endpoint = try #require(try pull.lastEndpoint)

        let greedy = try context.socket(.push)
        try greedy.connect(endpoint)
        try greedy.send([UInt8](repeating: 7, count: 64 * 1024))

        #expect(try pull.receive() == nil)

        // The limit is per message, not a broken socket: a modest sender still gets through.
        let modest = try context.socket(.push)
        try modest.connect(endpoint)
        try modest.send([UInt8](repeating: 1, count: 64))
        try pull.setReceiveTimeout(Int(patience * 1000))
        #expect(try pull.receive()?.bytes.count == 64)
    }
}
