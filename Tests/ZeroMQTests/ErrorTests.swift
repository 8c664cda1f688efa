import Foundation
import Testing
import ZeroMQ

@Suite("Errors say what failed and why")
struct ErrorTests {
    @Test("binding an endpoint without a port fails with EINVAL and zmq_strerror's text")
    func invalidEndpoint() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)

        let error = try #require(throws: ZMQError.self) { try socket.bind("tcp://127.0.0.1") }

        #expect(error.code == EINVAL)
        #expect(error.operation == "bind tcp://127.0.0.1")
        #expect(error.message == String(cString: strerror(EINVAL)))
        #expect(error.description.contains("bind tcp://127.0.0.1"))
        #expect(error.description.contains(error.message))
    }

    @Test("connecting with an unknown transport fails with EPROTONOSUPPORT")
    func unknownTransport() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.push)

        let error = try #require(throws: ZMQError.self) { try socket.connect("carrier-pigeon://coop") }

        #expect(error.code == EPROTONOSUPPORT)
        #expect(error.message == "Protocol not supported")
        #expect(error.description == "connect carrier-pigeon://coop: Protocol not supported (errno \(EPROTONOSUPPORT))")
    }

    @Test("binding a port that is already taken fails with EADDRINUSE")
    func addressInUse() throws {
        let context = try ZMQContext()
        let first = try context.socket(.pull)
        try first.bind(loopbackAnyPort)
        let endpoint = try #require(try first.lastEndpoint)
        let second = try context.socket(.pull)

        let error = try #require(throws: ZMQError.self) { try second.bind(endpoint) }

        #expect(error.code == EADDRINUSE)
        #expect(error.message == "Address already in use")
    }

    @Test("unbinding an endpoint that was never bound fails with ENOENT")
    func unbindUnknown() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)

        let error = try #require(throws: ZMQError.self) { try socket.unbind("inproc://never") }

        #expect(error.code == ENOENT)
    }

    @Test("a closed socket refuses every call with isClosed, and close is idempotent")
    func closedSocket() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.push)
        socket.close()
        socket.close()

        #expect(socket.isClosed)
        #expect(throws: ZMQError.self) { try socket.bind("inproc://x") }
        let error = try #require(throws: ZMQError.self) { try socket.send("x") }
        #expect(error.isClosed)
        #expect(throws: ZMQError.self) { try socket.receive(dontWait: true) }
        #expect(throws: ZMQError.self) { try socket.linger }
    }

    @Test("EINTR and ETERM are told apart from other failures")
    func classification() {
        #expect(ZMQError(code: EINTR, operation: "receive").isInterrupted)
        #expect(!ZMQError(code: EINTR, operation: "receive").isTerminated)
        #expect(ZMQError(code: EAGAIN, operation: "send").isWouldBlock)
        #expect(!ZMQError(code: EINVAL, operation: "bind").isInterrupted)
        #expect(ZMQError(code: EINTR, operation: "receive").message == String(cString: strerror(EINTR)))
    }
}
