import CordonCore

/// What `cordon store stats` shows: the files' sizes, and per class of record how many rows
/// there are and the oldest and newest.
public struct StoreStats: Sendable {
    public struct Class: Sendable {
        public var name: String
        public var rows: Int
        public var oldest: Instant?
        public var newest: Instant?
    }

    /// File name → bytes (database, write-ahead log).
    public var files: [(name: String, bytes: Int64)]
    public var classes: [Class]
}
