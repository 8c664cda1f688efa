import CordonStore

/// A control request's change to the store (an acknowledgement, a registry change, the engine's
/// snapshot, a muster's report) that the store refused: encoded when the change was made, and
/// written in order after the events held with it (``StoreWrites``).
///
/// Every one of these writes is idempotent (an upsert, a replace, a delete, a first
/// acknowledgement kept), so a retry that stops half way can start again from the one that failed.
struct DeferredWrite: Sendable {
    /// What it stores, for the log.
    let what: String
    /// Roughly the memory it holds, in bytes.
    let bytes: Int
    let write: @Sendable (Store) throws(StoreError) -> Void
}
