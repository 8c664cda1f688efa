import Foundation
import GRDB

/// Cordon's durable memory: the registry, the violation history and open alarms, dead letters,
/// the engine's snapshot for restart, and the thinned track history.
///
/// Two SQLite files in the data directory: `cordon.sqlite` for everything but positions, and
/// `tracks.sqlite` for positions. SQLite has one write lock per file; with positions apart, a
/// violation's commit never waits behind a batch of positions (measured: median 0.1 ms instead
/// of tens of ms while positions stream in).
///
/// Every method is synchronous and commits before it returns: when `record` returns, the
/// violations survive a crash of the process (WAL, `synchronous=NORMAL`; a power cut may lose
/// the last commits). Reads run concurrently with writes. Safe to share between threads.
public final class Store: Sendable {
    /// The main database file's path (`:memory:` for ``inMemory()``).
    public let path: String
    /// The track database file's path.
    public let tracksPath: String
    /// Pools, so that control requests read while the engine and the writer thread write.
    let database: any DatabaseWriter
    let tracks: any DatabaseWriter

    /// The main file's name inside the data directory.
    public static let fileName = "cordon.sqlite"
    /// The track file's name inside the data directory.
    public static let tracksFileName = "tracks.sqlite"

    /// Opens (creating them if needed) `directory` and the two files in it, and brings their
    /// schemas up to date.
    public convenience init(directory: String) throws(StoreError) {
        try self.init(directory: directory, migrations: StoreSchema.main)
    }

    /// `migrations` other than the real list only in tests (a "newer Cordon" wrote the file).
    convenience init(directory: String, migrations: [StoreSchema.Migration]) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: "\(error)")
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let main = try Self.openPool(prefix + Self.fileName, Self.configuration(cacheMiB: 32))
        let tracks: DatabasePool
        do {
            tracks = try Self.openPool(prefix + Self.tracksFileName, Self.configuration(cacheMiB: 128, tracks: true))
        } catch {
            try? main.close()
            throw error
        }
        try self.init(database: main, path: main.path, migrations: migrations, tracks: tracks, tracksPath: tracks.path)
    }

    /// A private database in memory, gone when the store is released. For tests and `replay`.
    public static func inMemory() throws(StoreError) -> Store {
        let main: DatabaseQueue
        let tracks: DatabaseQueue
        do {
            main = try DatabaseQueue(configuration: configuration(cacheMiB: 8))
            tracks = try DatabaseQueue(configuration: configuration(cacheMiB: 8, tracks: true))
        } catch {
            throw .cannotOpen(path: ":memory:", reason: StoreError.reason(error))
        }
        return try Store(database: main, path: ":memory:", migrations: StoreSchema.main, tracks: tracks, tracksPath: ":memory:")
    }

    private init(
        database: any DatabaseWriter, path: String, migrations: [StoreSchema.Migration],
        tracks: any DatabaseWriter, tracksPath: String
    ) throws(StoreError) {
        self.database = database
        self.path = path
        self.tracks = tracks
        self.tracksPath = tracksPath
        do {
            try StoreSchema.migrate(database, path: path, migrations: migrations)
            try StoreSchema.migrate(tracks, path: tracksPath, migrations: StoreSchema.tracks)
        } catch {
            // Do not leave the files open behind an error: the caller may fix it and retry.
            try? database.close()
            try? tracks.close()
            throw error
        }
    }

    /// Closes both files. Later calls fail with an error.
    public func close() throws(StoreError) {
        var failure: StoreError?
        for (db, path) in [(database, path), (tracks, tracksPath)] {
            do {
                try db.close()
            } catch {
                failure = failure ?? .writeFailed(operation: "close the database at \(path)", reason: StoreError.reason(error))
            }
        }
        if let failure { throw failure }
    }

    private static func openPool(_ path: String, _ configuration: Configuration) throws(StoreError) -> DatabasePool {
        do {
            return try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(path: path, reason: StoreError.reason(error))
        }
    }

    static func configuration(cacheMiB: Int, tracks: Bool = false) -> Configuration {
        var config = Configuration()
        config.label = tracks ? "cordon.tracks" : "cordon.store"
        // A reader or a checkpoint can hold a lock for a moment: wait for it rather than
        // failing a violation's commit. But not long: a commit waits on the engine thread, our
        // own checkpointer holds the lock for milliseconds, and a lock held longer (another
        // process) is a failure the service reports and rides out (see Pipeline).
        config.busyMode = .timeout(1)
        config.prepareDatabase { db in
            // GRDB's pool already sets this with WAL; said here because durability rests on
            // it: a commit survives a crash of the process without an fsync per transaction.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The WAL file is truncated back to this size after checkpoints, so a burst of
            // position batches does not leave a huge file behind.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            // Position inserts touch one index page per subject: keep those pages in memory.
            try db.execute(sql: "PRAGMA cache_size = -\(cacheMiB * 1024)")
            if tracks {
                // Fewer, larger checkpoints: an index page written by many batches is copied
                // into the database file once per checkpoint, not once per 4 MB of WAL
                // (measured: +10-30 % rows/s).
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
            } else {
                // The main file is checkpointed by a thread of its own (StoreCheckpointer), so
                // that a violation's or a gate decision's commit never pays for a checkpoint's
                // fsyncs (measured: ~5 ms every ~200 commits, the whole of the p99). This
                // threshold is only a safety net for a store used without one, and sits well
                // above what a second of commits writes: at 100,000 positions/s the journal's
                // subject rows dirty ~10,000 pages a second, and at 8,192 the commit thread
                // itself checkpointed (two fsyncs, 10-30 ms) about once a second.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 65536")
            }
        }
        return config
    }

    /// Runs `body` in one write transaction of the main file; any error rolls it all back.
    func write<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try Self.write(database, operation(), body)
    }

    /// Runs `body` on a consistent snapshot of the main file.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try Self.read(database, operation(), body)
    }

    /// Runs `body` in one write transaction of the track file.
    func writeTracks<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try Self.write(tracks, operation(), body)
    }

    /// Runs `body` on a consistent snapshot of the track file.
    func readTracks<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try Self.read(tracks, operation(), body)
    }

    private static func write<T>(
        _ db: any DatabaseWriter, _ operation: @autoclosure () -> String, _ body: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try db.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .writeFailed(operation: operation(), reason: StoreError.reason(error))
        }
    }

    private static func read<T>(
        _ db: any DatabaseWriter, _ operation: @autoclosure () -> String, _ body: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try db.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .readFailed(operation: operation(), reason: StoreError.reason(error))
        }
    }
}
