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

/// Key files: Z85 keys one a line; blank lines and `#` comments are skipped.
enum KeyFile {
    static func read(_ path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && $0.count == 40 }
    }
}
