import GRDB

/// Why the store could not do what was asked, and what to do about it.
///
/// Every case carries the SQLite or GRDB message it came from, so that a log line is enough
/// to find the cause. A failed write stored nothing of its batch: a caller that publishes
/// after storing (violations) must not publish.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data directory does not exist and could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The database file could not be opened (permissions, not a database, locked, …).
    case cannotOpen(path: String, reason: String)
    /// The file was written by a newer Cordon: it holds migrations this build does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A schema migration failed; the file is left as it was before that migration.
    case migrationFailed(path: String, reason: String)
    /// A write transaction failed and was rolled back: nothing of it is stored.
    case writeFailed(operation: String, reason: String)
    /// A read failed.
    case readFailed(operation: String, reason: String)
    /// A stored row could not be turned back into a value (edited by hand, or damaged).
    case corruptRecord(table: String, key: String, reason: String)
    /// `acknowledge` named an alarm the store has never seen raised.
    case unknownAlarm(id: String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the data directory \(path): \(reason); "
                + "check that its parent exists and is writable, or pass another --data directory"
        case .cannotOpen(let path, let reason):
            return "cannot open the database at \(path): \(reason); "
                + "check that the --data directory is writable and that the file is a Cordon database"
        case .newerSchema(let path, let unknown):
            return "the database at \(path) was written by a newer version of Cordon "
                + "(unknown migrations: \(unknown.joined(separator: ", "))); "
                + "run that version, or pass another --data directory"
        case .migrationFailed(let path, let reason):
            return "cannot upgrade the database at \(path): \(reason); the file is unchanged by the failed step, "
                + "keep a copy of it and report the message"
        case .writeFailed(let operation, let reason):
            return "could not \(operation): \(reason); nothing of it was stored. "
                + "Check free space and permissions of the data directory"
        case .readFailed(let operation, let reason):
            return "could not \(operation): \(reason)"
        case .corruptRecord(let table, let key, let reason):
            return "the row \(key) of table \(table) cannot be read back: \(reason); "
                + "it was changed outside Cordon or the file is damaged: restore it from a backup"
        case .unknownAlarm(let id):
            return "no alarm with id \(id) was ever raised: list the active alarms for valid ids"
        }
    }

    /// The message of an underlying error, with a hint for the SQLite codes an operator can fix.
    static func reason(_ error: any Error) -> String {
        guard let e = error as? DatabaseError else { return "\(error)" }
        let text = "SQLite error \(e.extendedResultCode.rawValue): \(e.message ?? "no message")"
        switch e.resultCode {
        case .SQLITE_FULL: return text + " (the disk is full)"
        case .SQLITE_READONLY, .SQLITE_PERM: return text + " (the file or its directory is not writable)"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return text + " (another process holds the database)"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return text + " (the file is damaged or is not a Cordon database)"
        case .SQLITE_CANTOPEN: return text + " (the file cannot be created or opened: check the path and permissions)"
        case .SQLITE_IOERR: return text + " (the disk reported an I/O error)"
        default: return text
        }
    }
}
