import Testing
import ZeroMQ

@Suite("Poller")
struct PollerTests {
    @Test("reports which registered socket became readable")
    func readability() throws {
        let context = try ZMQContext()
        let (_, quietPull) = try pushPullPair(context, endpoint: "inproc://quiet")
        let (busyPush, busyPull) = try pushPullPair(context, endpoint: "inproc://busy")
        let poller = Poller()
        let quiet = poller.register(quietPull)
        let busy = poller.register(busyPull, for: .readable)
        #expect((quiet, busy) == (0, 1))

        #expect(try poller.poll(timeoutMilliseconds: 0) == [])

        try busyPush.send("wake up")

        #expect(try poller.poll(timeoutMilliseconds: Int(patience * 1000)) == [busy])
        #expect(poller.isReadable(busy))
        #expect(!poller.isReadable(quiet))
        #expect(poller.events(at: busy) == .readable)
        #expect(try busyPull.receive(dontWait: true)?.string == "wake up")
    }

    @Test("reports writability of a PUSH with a connected peer, and not without one")
    func writability() throws {
        let context = try ZMQContext()
        let lonely = try context.socket(.push)
        try lonely.bind("inproc://lonely")
        // Keep the PULL alive: closing it would take away the PUSH's only peer.
        let (connected, peer) = try pushPullPair(context, endpoint: "inproc://connected")
        defer { peer.close() }
        let poller = Poller()
        poller.register(lonely, for: .writable)
        poller.register(connected, for: [.readable, .writable])

        #expect(try poller.poll(timeoutMilliseconds: 100) == [1])
        #expect(poller.isWritable(1))
        #expect(!poller.isWritable(0))
    }

    @Test("times out with nothing ready, after about the timeout")
    func timeout() throws {
        let context = try ZMQContext()
        let (_, pull) = try pushPullPair(context, endpoint: "inproc://idle")
        let poller = Poller()
        poller.register(pull)

        let (ready, seconds) = try measure { try poller.poll(timeoutMilliseconds: 50) }

        #expect(ready.isEmpty)
        #expect(seconds >= 0.04)
    }

    @Test("refuses to poll a socket that was closed after registration")
    func closedSocket() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        let poller = Poller()
        poller.register(socket)
        socket.close()

        let error = try #require(throws: ZMQError.self) { try poller.poll(timeoutMilliseconds: 0) }
        #expect(error.isClosed)
    }
}
