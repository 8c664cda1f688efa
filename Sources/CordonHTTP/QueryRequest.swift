import CordonCore
import CordonService

/// `GET /api/OP?k=v…`: a read-only control request written as a URL. Every value is bounded
/// before it becomes a number or a time; strings stay strings and the engine checks them.
enum QueryRequest {
    /// Most parameters a GET may carry, and the longest value.
    static let maxParameters = 32
    static let maxValueLength = 512

    static func build(op: String, query: [(String, String)]) throws(RequestError) -> Value {
        guard op.count <= 64, op.allSatisfy({ $0.isLetter || $0 == "." || $0 == "-" || $0 == "_" }) else {
            throw .invalid("'\(op.prefix(64))' is not an op name")
        }
        guard !ControlOp.changes(op) else {
            throw .invalid("'\(op)' changes state: send it as POST /api/control with a JSON body")
        }
        guard query.count <= maxParameters else { throw .invalid("at most \(maxParameters) query parameters") }
        var members: [String: Value] = ["op": .string(op)]
        for (k, v) in query {
            guard k != "op", k != "token" else { continue }
            guard v.count <= maxValueLength else { throw .invalid("'\(k)' is longer than \(maxValueLength) characters") }
            members[k] = try value(k, v)
        }
        return .object(members)
    }

    private static func value(_ k: String, _ v: String) throws(RequestError) -> Value {
        switch k {
        case "from", "until", "at":
            // Whole epoch milliseconds or RFC 3339, both bounded to year 9999.
            if let n = Double(v), v.allSatisfy({ $0.isNumber }) {
                guard let t = Bounded.instant(epochMilliseconds: n) else { throw .invalid("'\(k)' is out of range") }
                return .time(t)
            }
            guard let t = Bounded.instant(.string(v)) else {
                throw .invalid("'\(k)' must be an RFC 3339 time with a zone or whole epoch milliseconds")
            }
            return .time(t)
        case "limit":
            guard let n = Double(v), let i = Bounded.integer(n, in: 1...100_000) else {
                throw .invalid("'limit' must be a whole number from 1 to 100000")
            }
            return .int(i)
        case "list":
            guard v == "true" || v == "false" else { throw .invalid("'list' is true or false") }
            return .bool(v == "true")
        default:
            return .string(v)
        }
    }
}
