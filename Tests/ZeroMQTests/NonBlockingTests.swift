import Testing
import ZeroMQ

@Suite("Timeouts and non-blocking calls report 'nothing' instead of throwing")
struct NonBlockingTests {
    @Test("receive returns nil once receiveTimeout expires")
    func receiveTimeout() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://quiet")
        try pull.setReceiveTimeout(100)

        let (frame, seconds) = try measure { try pull.receive() }

        #expect(frame == nil)
        #expect(seconds >= 0.08)
        #expect(seconds < patience)
    }

    @Test("receiveMessage and the zero-copy receive also return nil on timeout")
    func otherReceivesTimeout() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://quiet")
        try pull.setReceiveTimeout(20)

        #expect(try pull.receiveMessage() == nil)
        let called = try pull.receive { _, _ in true }
        #expect(called == nil)
    }

    @Test("receive with dontWait returns nil at once when nothing is queued")
    func receiveDontWait() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://empty")

        let (frame, seconds) = try measure { try pull.receive(dontWait: true) }

        #expect(frame == nil)
        #expect(seconds < 0.05)
    }

    @Test("send with dontWait returns false when no peer can take the message")
    func sendDontWait() throws {
        let context = try ZMQContext()
        let push = try context.socket(.push)
        try push.bind("inproc://nobody")

        #expect(try push.send("lost", dontWait: true) == false)
        #expect(try push.send(frames: [Array(text: "lost")], dontWait: true) == false)
    }

    @Test("send returns false once sendTimeout expires")
    func sendTimeout() throws {
        let context = try ZMQContext()
        let push = try context.socket(.push)
        try push.bind("inproc://nobody")
        try push.setSendTimeout(50)

        let (sent, seconds) = try measure { try push.send("lost") }

        #expect(sent == false)
        #expect(seconds >= 0.04)
    }
}
