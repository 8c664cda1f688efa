import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight onto a prepared statement's parameters, for the few inserts that run
/// thousands of times a second (track points). GRDB's `StatementArguments` boxes every value
/// in an existential and builds an array per row; at 100,000 positions a second that was a
/// third of the track writer's time. Text is copied by SQLite (`SQLITE_TRANSIENT`), so nothing
/// here outlives the call.
struct SQLiteBinding {
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

    /// A refused binding (a value too big, no memory) fails the row's transaction like any
    /// other write error, never writes a row with a NULL in its place.
    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)))
        }
    }
}
