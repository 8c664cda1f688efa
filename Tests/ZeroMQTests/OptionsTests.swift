import Testing
import ZeroMQ

@Suite("Socket options read back what was set")
struct OptionsTests {
    @Test("integer and boolean options round-trip")
    func roundTrip() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.dealer)

        try socket.setSendHighWaterMark(10)
        try socket.setReceiveHighWaterMark(20)
        try socket.setLinger(30)
        try socket.setReceiveTimeout(40)
        try socket.setSendTimeout(50)
        try socket.setMaxMessageSize(1 << 20)
        try socket.setImmediate(true)

        #expect(try socket.sendHighWaterMark == 10)
        #expect(try socket.receiveHighWaterMark == 20)
        #expect(try socket.linger == 30)
        #expect(try socket.receiveTimeout == 40)
        #expect(try socket.sendTimeout == 50)
        #expect(try socket.maxMessageSize == 1 << 20)
        #expect(try socket.immediate)
        #expect(try socket.fileDescriptor >= 0)
        #expect(try socket.hasMore == false)
    }

    @Test("defaults: no size limit, infinite timeouts, and zero linger from the non-blocky context")
    func defaults() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)

        #expect(try socket.maxMessageSize == -1)
        #expect(try socket.receiveTimeout == -1)
        #expect(try socket.sendTimeout == -1)
        #expect(try socket.linger == 0)
        #expect(try socket.immediate == false)
    }

    @Test("values that do not fit libzmq's C int are refused rather than wrapped")
    func outOfRange() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)

        #expect(throws: ZMQError.self) { try socket.setReceiveTimeout(Int(Int32.max) + 1) }
        #expect(try socket.receiveTimeout == -1)
    }

    @Test("the linked libzmq reports its version")
    func version() {
        let version = ZMQ.version
        #expect(version.major == 4)
        #expect(version.minor >= 3)
    }

    @Test("every socket type can be created")
    func socketTypes() throws {
        let context = try ZMQContext()
        for type in SocketType.allCases {
            #expect(try context.socket(type).type == type)
        }
    }
}
