import CordonCore

/// One changing control request as it was kept: who sent it, when, and what came of it.
public struct AuditEntry: Sendable, Equatable {
    /// Order of recording; 0 until stored.
    public var seq: Int64
    /// The service clock when the request was answered.
    public var time: Instant
    /// The caller's name (from the allowed-keys file, or `local` and the peer's address).
    public var caller: String
    /// The caller's role (`ingest`, `viewer`, `operator`, `admin`).
    public var role: String
    public var op: String
    /// Whether the reply was ok; when not, its error code.
    public var ok: Bool
    public var errorCode: String?
    /// The request as received (JSON text, sorted keys, `by` filled in).
    public var request: String
    /// The reply (JSON text).
    public var result: String

    public init(seq: Int64 = 0, time: Instant, caller: String, role: String, op: String, ok: Bool, errorCode: String?,
                request: String, result: String) {
        self.seq = seq
        self.time = time
        self.caller = caller
        self.role = role
        self.op = op
        self.ok = ok
        self.errorCode = errorCode
        self.request = request
        self.result = result
    }
}
