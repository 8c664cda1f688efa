import HTTPTypes

/// The HTTP status of a control reply (docs/protocol.md, "HTTP").
enum ReplyStatus {
    static func of(code: String?) -> HTTPResponse.Status {
        switch code {
        case nil: return .ok
        case "invalid-request": return .badRequest
        case "forbidden": return .forbidden
        case "not-found": return .notFound
        default: return .internalServerError
        }
    }
}
