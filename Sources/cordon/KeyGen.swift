import ArgumentParser
import Foundation
import ZeroMQ

/// `cordon keygen`: a CURVE key pair for the service or a client.
struct KeyGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a CURVE key pair: the secret key goes to FILE (mode 600), the public key is printed.")

    @Argument(help: "Where to write the secret key.") var file: String

    func run() throws {
        let pair = try ZMQCurve.keyPair()
        guard FileManager.default.createFile(atPath: file, contents: Data((pair.secretKey + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(file)")
        }
        print(pair.publicKey)
    }
}
