import Testing
import ZeroMQ

@Suite("PUB/SUB")
struct PubSubTests {
    /// Publishes `messages` repeatedly until the subscriber has seen every one of `expected`:
    /// a subscription reaches the publisher asynchronously ("slow joiner"), so the first sends
    /// are lost. Returns everything received, for checking what must not have arrived.
    private func publish(_ messages: [String], until expected: Set<String>, pub: Socket, sub: Socket) throws -> [String] {
        var received: [String] = []
        _ = try eventually {
            for message in messages { try pub.send(message) }
            while let frame = try sub.receive(dontWait: true) { received.append(frame.string) }
            return expected.isSubset(of: received) ? true : nil
        }
        return received
    }

    @Test("a subscriber only gets messages whose first frame starts with its prefix")
    func prefixFiltering() throws {
        let context = try ZMQContext()
        let pub = try context.socket(.pub)
        try pub.bind("inproc://news")
        let sub = try context.socket(.sub)
        try sub.connect("inproc://news")
        try sub.subscribe("weather.")

        let received = try publish(["sports.score 2:1", "weather.rain"], until: ["weather.rain"], pub: pub, sub: sub)

        #expect(received.contains("weather.rain"))
        #expect(!received.contains("sports.score 2:1"))
    }

    @Test("an empty prefix subscribes to everything, over tcp too")
    func subscribeAll() throws {
        let context = try ZMQContext()
        let pub = try context.socket(.pub)
        try pub.bind(loopbackAnyPort)
        let sub = try context.socket(.sub)
        try sub.connect(try #require(try pub.lastEndpoint))
        try sub.subscribe()

        let received = try publish(["a", "b"], until: ["a", "b"], pub: pub, sub: sub)

        #expect(Set(received) == ["a", "b"])
    }

    @Test("after unsubscribe, the prefix no longer matches")
    func unsubscribe() throws {
        let context = try ZMQContext()
        let pub = try context.socket(.pub)
        try pub.bind("inproc://toggle")
        let sub = try context.socket(.sub)
        try sub.connect("inproc://toggle")
        try sub.subscribe(Array(text: "a"))
        try sub.subscribe("b")
        #expect(try publish(["a1"], until: ["a1"], pub: pub, sub: sub).contains("a1"))

        try sub.unsubscribe(Array(text: "a"))
        let after = try publish(["a2", "b2"], until: ["b2"], pub: pub, sub: sub)

        #expect(after.contains("b2"))
        #expect(!after.contains("a2"))
    }
}
