import CordonService
import Foundation

/// `--http-tokens-file`: lines `TOKEN ROLE NAME…` (`#` starts a comment), read once at start.
/// A line that cannot be read stops the service: a misread role would widen someone's access.
public struct TokenFile: Sendable {
    public private(set) var callers: [String: Caller] = [:]

    public init(callers: [String: Caller]) {
        self.callers = callers
    }

    public static func load(path: String) throws(HTTPSetupError) -> TokenFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .tokens(path: path, line: 0, reason: "cannot read the file")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String = "tokens") throws(HTTPSetupError) -> TokenFile {
        var callers: [String: Caller] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            guard words.count >= 3 else { throw .tokens(path: path, line: i + 1, reason: "needs a token, a role and a name") }
            guard words[0].count >= 16 else { throw .tokens(path: path, line: i + 1, reason: "a token must be at least 16 characters") }
            guard let role = Role(rawValue: String(words[1])) else {
                throw .tokens(path: path, line: i + 1, reason: "unknown role '\(words[1])'")
            }
            let token = String(words[0])
            guard callers[token] == nil else { throw .tokens(path: path, line: i + 1, reason: "the token is listed twice") }
            callers[token] = Caller(name: words[2...].joined(separator: " "), role: role)
        }
        return TokenFile(callers: callers)
    }
}
