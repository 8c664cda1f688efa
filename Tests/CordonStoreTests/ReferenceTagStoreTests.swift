import CordonCore
import Testing

@testable import CordonStore

@Suite("Reference tags in the store")
struct ReferenceTagStoreTests {
    @Test("reference tags come back after a reopen, sorted by id; upsert replaces, remove deletes")
    func roundTrip() throws {
        try withTemporaryDirectory { dir in
            do {
                let store = try Store(directory: dir)
                try store.upsertReferences([ReferenceTag(id: "REF-2", tag: "TREF2", x: -445.25, y: 225.5, level: 1),
                                            ReferenceTag(id: "REF-1", tag: "TREF1", x: 10, y: 20)])
                try store.upsertReferences([ReferenceTag(id: "REF-1", tag: "TREF1", x: 11, y: 21)])
                try store.close()
            }
            let store = try Store(directory: dir)
            #expect(try store.loadReferences() == [ReferenceTag(id: "REF-1", tag: "TREF1", x: 11, y: 21),
                                                   ReferenceTag(id: "REF-2", tag: "TREF2", x: -445.25, y: 225.5, level: 1)])
            try store.removeReferences(["REF-2", "REF-9"])
            #expect(try store.loadReferences().map(\.id) == ["REF-1"])
            try store.close()
        }
    }

    @Test("a file written before reference tags existed gets the table, and keeps its data")
    func olderFile() throws {
        try withTemporaryDirectory { dir in
            let older = StoreSchema.main.filter { $0.id != "v-references" }
            do {
                let store = try Store(directory: dir, migrations: older)
                try store.upsertVehicles([Vehicle(plate: "鲁E12345", kind: .hazmat)])
                try store.close()
            }
            let store = try Store(directory: dir)
            #expect(try store.appliedMigrations().contains("v-references"))
            #expect(try store.loadReferences().isEmpty)
            #expect(try store.loadRegistry().vehicles.map(\.plate) == ["鲁E12345"])
            try store.close()
        }
    }
}
