import Testing
import ZeroMQ

@Suite("Request/reply round trips")
struct RequestReplyTests {
    @Test("REQ asks, REP answers")
    func reqRep() throws {
        let context = try ZMQContext()
        let rep = try context.socket(.rep)
        try rep.setReceiveTimeout(Int(patience * 1000))
        try rep.bind(loopbackAnyPort)
        let req = try context.socket(.req)
        try req.setReceiveTimeout(Int(patience * 1000))
        try req.connect(try #require(try rep.lastEndpoint))

        try req.send("ping")
        #expect(try rep.receive()?.string == "ping")
        try rep.send("pong")
        #expect(try req.receive()?.string == "pong")
    }

    @Test("a DEALER talks to REP by adding and stripping the empty delimiter frame")
    func dealerRep() throws {
        let context = try ZMQContext()
        let rep = try context.socket(.rep)
        try rep.setReceiveTimeout(Int(patience * 1000))
        try rep.bind("inproc://dealer-rep")
        let dealer = try context.socket(.dealer)
        try dealer.setReceiveTimeout(Int(patience * 1000))
        try dealer.connect("inproc://dealer-rep")

        try dealer.send(frames: [[], Array(text: "ping")])
        #expect(try rep.receiveMessage() == [Array(text: "ping")])
        try rep.send("pong")

        #expect(try dealer.receiveMessage() == [[], Array(text: "pong")])
    }

    @Test("a ROUTER sees the DEALER's identity frame and routes the reply with it")
    func routerDealer() throws {
        let context = try ZMQContext()
        let router = try context.socket(.router)
        try router.setReceiveTimeout(Int(patience * 1000))
        try router.bind("inproc://router")
        let dealer = try context.socket(.dealer)
        try dealer.setReceiveTimeout(Int(patience * 1000))
        try dealer.connect("inproc://router")

        try dealer.send("hello")
        let request = try #require(try router.receiveMessage())
        #expect(request.count == 2)
        #expect(request.last == Array(text: "hello"))

        try router.send(frames: [request[0], Array(text: "welcome")])
        #expect(try dealer.receive()?.string == "welcome")
    }
}
