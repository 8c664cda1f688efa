import ZeroMQ

/// The CURVE credentials a client of the service connects with: the server's public key and
/// the client's own key pair (docs/protocol.md, "Transport"). Every command that talks to a running
/// service takes the same two options and builds one of these.
public struct ClientCurve: Sendable, Equatable {
    public var serverKey: String
    public var publicKey: String
    public var secretKey: String

    /// - Parameters:
    ///   - serverKey: the service's Z85 public key (what `cordon keygen` printed for it).
    ///   - secretKeyFile: a file holding this client's Z85 secret key.
    public init(serverKey: String, secretKeyFile: String) throws(ClientCurveError) {
        guard serverKey.utf8.count == 40, ZMQCurve.decode(z85: serverKey)?.count == 32 else {
            throw .badServerKey(serverKey)
        }
        let secret: String
        do { secret = try KeyFile.readKey(path: secretKeyFile) } catch { throw .keyFile(error) }
        guard let pub = try? ZMQCurve.publicKey(forSecretKey: secret) else { throw .keyFile(.badLine(path: secretKeyFile, line: 1, reason: "not a CURVE secret key")) }
        self.serverKey = serverKey
        self.publicKey = pub
        self.secretKey = secret
    }

    /// Makes `socket` a CURVE client with these keys; before `connect`.
    public func secure(_ socket: Socket) throws {
        try socket.curveClient(serverPublicKey: serverKey, publicKey: publicKey, secretKey: secretKey)
    }
}

/// Why a client cannot connect with the CURVE options it was given.
public enum ClientCurveError: Error, Sendable, Equatable, CustomStringConvertible {
    case badServerKey(String)
    case keyFile(ClientKeysError)
    /// One of the two options without the other.
    case incomplete

    public var description: String {
        switch self {
        case .badServerKey(let k): return "--curve-server-key '\(k.prefix(48))' is not a Z85 public key of 40 characters"
        case .keyFile(let e): return "--curve-key-file: \(e)"
        case .incomplete: return "CURVE needs both --curve-server-key (the service's public key) and --curve-key-file (this client's secret key)"
        }
    }
}
