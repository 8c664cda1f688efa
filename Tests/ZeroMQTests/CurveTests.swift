import Testing
import ZeroMQ

@Suite("CURVE encryption")
struct CurveTests {
    /// A CURVE server PULL on a loopback port; returns it and its endpoint and public key.
    private func curveServer(_ context: ZMQContext) throws -> (pull: Socket, endpoint: String, publicKey: String) {
        let keys = try ZMQCurve.keyPair()
        let pull = try context.socket(.pull)
        try pull.curveServer(secretKey: keys.secretKey)
        try pull.bind(loopbackAnyPort)
        return (pull, try #require(try pull.lastEndpoint), keys.publicKey)
    }

    @Test("key pairs are 40-character Z85 and the public key derives from the secret")
    func keyPair() throws {
        #expect(ZMQ.has("curve"))
        let keys = try ZMQCurve.keyPair()

        #expect(keys.publicKey.count == 40)
        #expect(keys.secretKey.count == 40)
        #expect(try ZMQCurve.publicKey(forSecretKey: keys.secretKey) == keys.publicKey)
        #expect(ZMQCurve.decode(z85: keys.publicKey).map(ZMQCurve.encode) == keys.publicKey)
        #expect(try ZMQCurve.keyPair().publicKey != keys.publicKey)
    }

    @Test("a client that knows the server's public key gets its message through")
    func rightServerKey() throws {
        let context = try ZMQContext()
        let server = try curveServer(context)
        try server.pull.setReceiveTimeout(Int(patience * 1000))
        let clientKeys = try ZMQCurve.keyPair()
        let push = try context.socket(.push)
        try push.curveClient(serverPublicKey: server.publicKey, publicKey: clientKeys.publicKey, secretKey: clientKeys.secretKey)
        try push.connect(server.endpoint)

        try push.send("secret")

        #expect(try server.pull.receive()?.string == "secret")
    }

    @Test("a client without CURVE keys does not get through")
    func noKeys() throws {
        let context = try ZMQContext()
        let server = try curveServer(context)
        try server.pull.setReceiveTimeout(300)
        let push = try context.socket(.push)
        try push.connect(server.endpoint)

        try push.send("let me in")

        #expect(try server.pull.receive() == nil)
    }

    @Test("a client with the wrong server key does not get through")
    func wrongServerKey() throws {
        let context = try ZMQContext()
        let server = try curveServer(context)
        try server.pull.setReceiveTimeout(300)
        let impostor = try ZMQCurve.keyPair()
        let clientKeys = try ZMQCurve.keyPair()
        let push = try context.socket(.push)
        try push.curveClient(serverPublicKey: impostor.publicKey, publicKey: clientKeys.publicKey, secretKey: clientKeys.secretKey)
        try push.connect(server.endpoint)

        try push.send("let me in")

        #expect(try server.pull.receive() == nil)
    }

    @Test("keys that are not 40 characters are refused before reaching libzmq")
    func malformedKey() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)

        let error = try #require(throws: ZMQError.self) { try socket.curveServer(secretKey: "short") }
        #expect(error.code == 22)  // EINVAL
        #expect(ZMQCurve.decode(z85: "short") == nil)
        #expect(ZMQCurve.decode(z85: String(repeating: "~", count: 40)) == nil)
    }
}
