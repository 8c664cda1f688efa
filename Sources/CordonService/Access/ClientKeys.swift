import Foundation
import ZeroMQ

/// The allowed-keys file (`--curve-allowed-keys-file`, docs/protocol.md, "Transport"): one client a
/// line, `PUBLIC-KEY ROLE NAME…`; blank lines and `#` comments are skipped.
///
/// `#` is a letter of Z85, so a key may hold one: a first word of 40 characters that decodes
/// is a key; otherwise a first word starting with `#` makes the line a comment. After the key,
/// a word starting with `#` starts the comment.
///
/// A line that cannot be read stops the service at start, naming it: a key silently left out
/// would lock out a gate controller, and a role silently widened would let a display end a muster.
public struct ClientKeys: Sendable, Equatable {
    /// One client let in.
    public struct Client: Sendable, Equatable {
        public var role: Role
        public var name: String

        public init(role: Role, name: String) {
            self.role = role
            self.name = name
        }
    }

    /// Clients by their Z85 public key.
    public private(set) var clients: [String: Client] = [:]

    public init(clients: [String: Client] = [:]) {
        self.clients = clients
    }

    /// The client holding `key`, if it is let in.
    public subscript(key: String) -> Client? { clients[key] }

    public var isEmpty: Bool { clients.isEmpty }

    /// Reads the file at `path`.
    public static func load(path: String) throws(ClientKeysError) -> ClientKeys {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Reads the file's text; `path` is only for messages.
    public static func parse(_ text: String, path: String) throws(ClientKeysError) -> ClientKeys {
        var keys = ClientKeys()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first else { continue }
            let n = i + 1
            let key = String(first)
            let isKey = key.utf8.count == 40 && ZMQCurve.decode(z85: key)?.count == 32
            if !isKey && key.hasPrefix("#") { continue }
            if let c = words.dropFirst().firstIndex(where: { $0.hasPrefix("#") }) { words = Array(words[..<c]) }
            guard isKey else {
                throw .badLine(path: path, line: n, reason: "'\(key.prefix(48))' is not a Z85 public key of 40 characters (cordon keygen prints one)")
            }
            guard words.count >= 2 else {
                throw .badLine(path: path, line: n, reason: "no role after the key; write KEY ROLE NAME, ROLE one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let role = Role(rawValue: String(words[1])) else {
                throw .badLine(path: path, line: n, reason: "unknown role '\(words[1])'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard words.count >= 3 else {
                throw .badLine(path: path, line: n, reason: "no name after the role; the name is credited in the audit and in 'by'")
            }
            guard keys.clients[key] == nil else {
                throw .badLine(path: path, line: n, reason: "the key is listed twice; give each client one line")
            }
            keys.clients[key] = Client(role: role, name: words[2...].joined(separator: " "))
        }
        return keys
    }
}

/// Why a key file cannot be used, naming the file and the line to fix.
public enum ClientKeysError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case badLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read the key file \(path): \(reason)"
        case .badLine(let path, let line, let reason): return "\(path) line \(line): \(reason)"
        }
    }
}
