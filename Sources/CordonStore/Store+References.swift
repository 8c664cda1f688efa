import CordonCore
import GRDB

/// Reference tags (docs/positioning.md), as `registry.upsert` and `registry.remove` left them.
extension Store {
    /// Inserts or replaces reference tags by `id`, in one transaction.
    public func upsertReferences(_ refs: [ReferenceTag]) throws(StoreError) {
        guard !refs.isEmpty else { return }
        try write("store \(refs.count) reference tags") { db in
            for r in refs { try ReferenceTagRecord(r).insert(db, onConflict: .replace) }
        }
    }

    /// Removes reference tags by id.
    public func removeReferences(_ ids: [String]) throws(StoreError) {
        guard !ids.isEmpty else { return }
        try write("remove \(ids.count) reference tags") { db in
            for id in ids { _ = try ReferenceTagRecord.deleteOne(db, key: id) }
        }
    }

    /// Every reference tag, by id.
    public func loadReferences() throws(StoreError) -> [ReferenceTag] {
        try read("load the reference tags") { db in
            try ReferenceTagRecord.order(ReferenceTagRecord.CodingKeys.id).fetchAll(db).map(\.reference)
        }
    }
}
