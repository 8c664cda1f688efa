import Foundation
import Testing
import ZeroMQ

@Suite("Context lifecycle")
struct ContextTests {
    @Test("terminate wakes a receive blocked on another thread with isTerminated")
    func terminateUnblocksReceive() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        try socket.bind("inproc://blocked")
        let outcome = Locked<ZMQError?>(nil)
        let receiving = Locked(false)

        let receiver = BackgroundThread {
            defer { socket.close() }  // terminate waits for this
            receiving.value = true
            do {
                _ = try socket.receive()
            } catch let error as ZMQError {
                outcome.value = error
            } catch {}
        }
        _ = eventually { receiving.value ? true : nil }
        Thread.sleep(forTimeInterval: 0.05)  // let it actually block in libzmq
        let terminator = BackgroundThread { context.terminate() }

        #expect(receiver.wait())
        #expect(terminator.wait())
        #expect(outcome.value?.isTerminated == true)
        #expect(context.isTerminated)
    }

    @Test("shutdown makes blocked and later calls fail with isTerminated without waiting")
    func shutdown() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        try socket.bind("inproc://shutdown")

        context.shutdown()
        context.shutdown()

        let error = try #require(throws: ZMQError.self) { try socket.receive() }
        #expect(error.isTerminated)
        #expect(throws: ZMQError.self) { try context.socket(.push) }
        socket.close()
        context.terminate()
    }

    @Test("terminate is idempotent, does not hang on unsent messages, and refuses new sockets")
    func terminateTwice() throws {
        let context = try ZMQContext()
        let push = try context.socket(.push)
        try push.connect("tcp://127.0.0.1:1")  // nobody listens: the message stays queued
        try push.send("stuck")
        push.close()

        let (_, seconds) = measure {
            context.terminate()
            context.terminate()
        }

        #expect(seconds < 1)
        let error = try #require(throws: ZMQError.self) { try context.socket(.pull) }
        #expect(error.isTerminated)
    }

    @Test("a context with sockets still open is released only after they are")
    func socketsKeepContextAlive() throws {
        weak var weakContext: ZMQContext?
        var socket: Socket? = nil
        do {
            let context = try ZMQContext()
            weakContext = context
            socket = try context.socket(.pull)
        }
        #expect(weakContext != nil)
        #expect(socket?.context === weakContext)
        socket = nil
        #expect(weakContext == nil)
    }
}
