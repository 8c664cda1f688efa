import CordonCore
import Foundation
import GRDB

/// Sizes, row counts and backups: what an operator needs to look after the files.
extension Store {
    /// Row counts and the oldest and newest row per class of record, and the files' sizes.
    public func stats() throws(StoreError) -> StoreStats {
        func one(_ db: Database, _ name: String, _ table: String, _ time: String, _ condition: String = "1") throws -> StoreStats.Class {
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(\(time)) AS lo, MAX(\(time)) AS hi FROM \(table) WHERE \(condition)")
            let lo: Int64? = row?["lo"]
            let hi: Int64? = row?["hi"]
            return .init(name: name, rows: row?["n"] ?? 0, oldest: lo.map(Instant.init(milliseconds:)), newest: hi.map(Instant.init(milliseconds:)))
        }
        var classes = try readTracks("count positions") { db in
            [try one(db, "person_positions", "positions", "t", "subject_kind IN ('person', 'tag')"),
             try one(db, "vehicle_positions", "positions", "t", "subject_kind = 'vehicle'")]
        }
        classes += try read("count records") { db in
            [try one(db, "violations", "violation_events", "t"), try one(db, "alarms", "alarms", "raised_at"),
             try one(db, "passages", "gate_passages", "t"), try one(db, "dead_letters", "dead_letters", "received_at"),
             try one(db, "live_log", "live_log", "seq")]
        }
        classes += try readTracks("count live-state rows") { db in [try one(db, "live_subjects", "live_base", "seq")] }
        // Live-state rows have no time: only their counts mean something.
        for i in classes.indices where ["live_subjects", "live_log"].contains(classes[i].name) { classes[i].oldest = nil; classes[i].newest = nil }
        var files: [(String, Int64)] = []
        for p in [path, path + "-wal", tracksPath, tracksPath + "-wal"] {
            if let a = try? FileManager.default.attributesOfItem(atPath: p), let n = a[.size] as? NSNumber {
                files.append(((p as NSString).lastPathComponent, n.int64Value))
            }
        }
        return StoreStats(files: files, classes: classes)
    }

    /// Copies both files into `directory` (created, and refused if it already holds a copy)
    /// with SQLite's online backup: a consistent copy, taken from a read snapshot while the
    /// service goes on writing. Returns the paths written.
    @discardableResult
    public func backup(to directory: String, tracks withTracks: Bool = true) throws(StoreError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: "\(error)")
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var written: [String] = []
        let sources = [(database, Self.fileName)] + (withTracks ? [(tracks, Self.tracksFileName)] : [])
        for (source, name) in sources {
            let target = prefix + name
            guard !FileManager.default.fileExists(atPath: target) else {
                throw .writeFailed(operation: "back up to \(target)", reason: "the file exists; give a new directory for each backup")
            }
            do {
                let copy = try DatabaseQueue(path: target)
                try source.backup(to: copy)
                try copy.close()
            } catch {
                throw .writeFailed(operation: "back up to \(target)", reason: StoreError.reason(error))
            }
            written.append(target)
        }
        return written
    }
}
