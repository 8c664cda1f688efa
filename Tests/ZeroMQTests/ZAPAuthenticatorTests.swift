import Testing
@testable import ZeroMQ

@Suite("ZAPAuthenticator admits only listed CURVE clients")
struct ZAPAuthenticatorTests {
    private struct Server {
        let pull: Socket
        let endpoint: String
        let publicKey: String
    }

    private func curveServer(_ context: ZMQContext, receiveTimeout: Int) throws -> Server {
        let keys = try ZMQCurve.keyPair()
        let pull = try context.socket(.pull)
        try pull.curveServer(secretKey: keys.secretKey)
        try pull.setReceiveTimeout(receiveTimeout)
        try pull.bind(loopbackAnyPort)
        return Server(pull: pull, endpoint: try #require(try pull.lastEndpoint), publicKey: keys.publicKey)
    }

    /// The caller must keep the returned socket alive until its message is received:
    /// closing it drops the unsent message (linger is 0 in these contexts).
    private func client(_ context: ZMQContext, of server: Server, keys: (publicKey: String, secretKey: String)) throws -> Socket {
        let push = try context.socket(.push)
        try push.curveClient(serverPublicKey: server.publicKey, publicKey: keys.publicKey, secretKey: keys.secretKey)
        try push.connect(server.endpoint)
        return push
    }

    @Test("a listed client key gets through")
    func allowedClient() throws {
        let context = try ZMQContext()
        let clientKeys = try ZMQCurve.keyPair()
        let authenticator = try ZAPAuthenticator(context: context, allowedPublicKeys: [clientKeys.publicKey])
        defer { authenticator.stop() }
        let server = try curveServer(context, receiveTimeout: Int(patience * 1000))

        let push = try client(context, of: server, keys: clientKeys)
        try push.send("hello")

        #expect(try server.pull.receive()?.string == "hello")
    }

    @Test("an unlisted client key is refused even though it knows the server key")
    func unlistedClient() throws {
        let context = try ZMQContext()
        let listed = try ZMQCurve.keyPair()
        let authenticator = try ZAPAuthenticator(context: context, allowedPublicKeys: [listed.publicKey])
        defer { authenticator.stop() }
        let server = try curveServer(context, receiveTimeout: 300)

        let push = try client(context, of: server, keys: try ZMQCurve.keyPair())
        try push.send("let me in")

        #expect(try server.pull.receive() == nil)
    }

    @Test("only one authenticator can run per context")
    func onePerContext() throws {
        let context = try ZMQContext()
        let first = try ZAPAuthenticator(context: context, allowedPublicKeys: [])
        defer { first.stop() }

        let error = try #require(throws: ZMQError.self) {
            try ZAPAuthenticator(context: context, allowedPublicKeys: [])
        }
        #expect(error.operation == "bind \(ZAPAuthenticator.endpoint)")
    }

    @Test("an allow list with a malformed key is rejected up front")
    func malformedKey() throws {
        let context = try ZMQContext()
        #expect(throws: ZMQError.self) {
            try ZAPAuthenticator(context: context, allowedPublicKeys: ["not a key"])
        }
    }

    @Test("stop is idempotent and context termination does not wait for it")
    func lifecycle() throws {
        let stopped = try ZMQContext()
        let authenticator = try ZAPAuthenticator(context: stopped, allowedPublicKeys: [])
        authenticator.stop()
        authenticator.stop()

        let terminated = try ZMQContext()
        let running = try ZAPAuthenticator(context: terminated, allowedPublicKeys: [])
        let terminator = BackgroundThread { terminated.terminate() }
        #expect(terminator.wait())
        running.stop()
    }

    @Test("requests that are not well-formed CURVE requests are answered with a failure")
    func replies() throws {
        let key = try ZMQCurve.keyPair().publicKey
        let raw = try #require(ZMQCurve.decode(z85: key))
        func request(mechanism: String, credentials: [[UInt8]]) -> [[UInt8]] {
            [Array(text: "1.0"), Array(text: "7"), [], Array(text: "127.0.0.1"), [], Array(text: mechanism)] + credentials
        }
        func status(_ reply: [[UInt8]]) -> String { String(decoding: reply[2], as: UTF8.self) }
        let letIn: (ZAPAuthenticator.Request) -> Bool = { $0.clientKey == key }
        let noOne: (ZAPAuthenticator.Request) -> Bool = { _ in false }

        let allowed = ZAPAuthenticator.reply(to: request(mechanism: "CURVE", credentials: [raw]), authorize: letIn)
        #expect(allowed.count == 6)
        #expect(allowed[1] == Array(text: "7"))
        #expect(status(allowed) == "200")
        #expect(allowed[4] == Array(text: key))

        #expect(status(ZAPAuthenticator.reply(to: request(mechanism: "CURVE", credentials: [raw]), authorize: noOne)) == "400")
        #expect(status(ZAPAuthenticator.reply(to: request(mechanism: "PLAIN", credentials: [[], []]), authorize: letIn)) == "400")
        #expect(status(ZAPAuthenticator.reply(to: request(mechanism: "CURVE", credentials: [[1, 2]]), authorize: letIn)) == "500")
        #expect(status(ZAPAuthenticator.reply(to: [Array(text: "1.0")], authorize: letIn)) == "500")

        // The handler is told which socket (ZAP domain) and which address the handshake is for.
        let withDomain = [Array(text: "1.0"), Array(text: "8"), Array(text: "control"), Array(text: "10.1.2.3"), [], Array(text: "CURVE"), raw]
        #expect(status(ZAPAuthenticator.reply(to: withDomain, authorize: { $0.domain == "control" && $0.address == "10.1.2.3" })) == "200")
        #expect(status(ZAPAuthenticator.reply(to: withDomain, authorize: { $0.domain == "ingest" })) == "400")
    }
}
