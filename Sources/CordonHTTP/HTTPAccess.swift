import CordonService
import Foundation
import HTTPTypes
import Hummingbird

/// Who an HTTP request comes from (docs/protocol.md, "HTTP"): the bearer token's caller, or,
/// without a tokens file, an `operator` named `local` (the side then binds loopback only).
struct HTTPAccess: Sendable {
    let tokens: TokenFile?

    static let local = Caller(name: "local", role: .operator)

    /// Nil when a tokens file is in force and the request has no listed token.
    func caller(_ request: Request) -> Caller? {
        guard let tokens else { return Self.local }
        var token: String?
        if let h = request.headers[.authorization], h.hasPrefix("Bearer ") {
            token = String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if let q = request.uri.queryParameters.get("token") {
            token = q
        }
        guard let token else { return nil }
        return tokens.callers[token]
    }
}
