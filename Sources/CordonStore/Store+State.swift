import Foundation
import GRDB

/// Opaque state by key: the engine's snapshot for restart, and anything alike.
extension Store {
    /// Stores `data` under `key`, replacing what was there.
    public func saveState(key: String, data: some Collection<UInt8>) throws(StoreError) {
        let blob = Data(data)
        try write("save state '\(key)'") { db in
            try db.execute(
                sql: "INSERT INTO state (key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
                arguments: [key, blob])
        }
    }

    /// What was last saved under `key`, or nil.
    public func loadState(key: String) throws(StoreError) -> Data? {
        try read("load state '\(key)'") { db in
            try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [key])
        }
    }

    /// Forgets `key`; returns whether it was there.
    @discardableResult
    public func removeState(key: String) throws(StoreError) -> Bool {
        try write("remove state '\(key)'") { db in
            try db.execute(sql: "DELETE FROM state WHERE key = ?", arguments: [key])
            return db.changesCount > 0
        }
    }
}
