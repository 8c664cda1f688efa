import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight onto a prepared statement's parameters and reads result columns by
/// position, for the few statements that run thousands of times a second (track points, the
/// live-state log and its fold). GRDB's `StatementArguments` boxes every value in an
/// existential and builds an array per row, and its `Row` finds a column by lowercasing its
/// name: at 100,000 positions a second that was a third of the track writer's time and most
/// of the fold's. Text and blobs are copied by SQLite (`SQLITE_TRANSIENT`) when bound and by
/// us when read, so nothing here outlives the call.
struct RawStatement {
    private let statement: SQLiteStatement

    /// Takes over `statement`'s parameters: GRDB is told they are bound (all NULL until set).
    init(_ statement: Statement) {
        statement.setUncheckedArguments(StatementArguments())
        self.statement = statement.sqliteStatement
    }

    /// SQLite's "copy the bytes now" destructor, which the C header spells as a cast of -1.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Readies the statement for the next row's values: SQLite refuses to bind to a statement
    /// that has been stepped and not reset (GRDB resets before a step, not after).
    func nextRow() {
        sqlite3_reset(statement)
    }

    func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(statement, index, value))
    }

    func bind(_ value: Int, at index: Int32) throws {
        try check(sqlite3_bind_int64(statement, index, Int64(value)))
    }

    func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(statement, index, value))
    }

    func bind(_ value: Double?, at index: Int32) throws {
        guard let value else { return try check(sqlite3_bind_null(statement, index)) }
        try check(sqlite3_bind_double(statement, index, value))
    }

    func bind(_ value: String?, at index: Int32) throws {
        guard var value else { return try check(sqlite3_bind_null(statement, index)) }
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                // An empty text, not NULL: SQLite takes a null pointer for NULL.
                return sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { text in
                sqlite3_bind_text(statement, index, text, Int32(clamping: utf8.count), Self.transient)
            }
        }
        try check(code)
    }

    func bind(_ value: Data, at index: Int32) throws {
        let code = value.withUnsafeBytes { bytes -> Int32 in
            // An empty blob, not NULL: a null pointer binds NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(statement, index, 0) }
            return sqlite3_bind_blob(statement, index, base, Int32(clamping: bytes.count), Self.transient)
        }
        try check(code)
    }

    /// Steps a query: true with a row to read, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: try check(code); return false
        }
    }

    func int64(at column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func text(at column: Int32) -> String {
        guard let p = sqlite3_column_text(statement, column) else { return "" }
        let n = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func blob(at column: Int32) -> Data {
        let n = Int(sqlite3_column_bytes(statement, column))
        guard n > 0, let p = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: p, count: n)
    }

    /// A refused binding (a value too big, no memory) fails the row's transaction like any
    /// other write error, never writes a row with a NULL in its place.
    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)))
        }
    }
}
