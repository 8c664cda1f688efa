import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("Opening and migrating the database files")
struct MigrationTests {
    let allMigrations = (StoreSchema.main + StoreSchema.tracks).map(\.id)

    @Test("a fresh directory gets every migration, in WAL mode with synchronous=NORMAL")
    func freshFile() throws {
        try withTemporaryDirectory { dir in
            let dataDir = dir + "/data/nested"  // created on demand
            let store = try Store(directory: dataDir)
            #expect(store.path == dataDir + "/cordon.sqlite")
            #expect(FileManager.default.fileExists(atPath: store.path))
            #expect(store.tracksPath == dataDir + "/tracks.sqlite")
            #expect(FileManager.default.fileExists(atPath: store.tracksPath))
            #expect(try store.appliedMigrations() == ["v1-registry", "v1-violations", "v1-dead-letters", "v1-state", "v2-gates", "v3-audit", "v-references", "v-journal", "v-history-indexes", "v-outbox", "v-live-log", "v1-positions", "v-retention-index", "v-movements", "v-live-base"])
            for tracks in [false, true] {
                #expect(try store.pragma("journal_mode", ofTracks: tracks) == "wal")
                #expect(try store.pragma("synchronous", ofTracks: tracks) == "1")  // NORMAL
                #expect(try Int(store.pragma("busy_timeout", ofTracks: tracks) ?? "0") ?? 0 > 0)
            }
            try store.close()
        }
    }

    @Test("re-opening an existing file keeps its data and applies nothing twice")
    func reopen() throws {
        try withTemporaryDirectory { dir in
            do {
                let store = try Store(directory: dir)
                try store.upsertVehicles([Vehicle(plate: "鲁E12345", kind: .hazmat, enterprise: "E03")])
                try store.close()
            }
            let again = try Store(directory: dir)
            #expect(try again.appliedMigrations() == allMigrations)
            #expect(try again.loadRegistry().vehicles.map(\.plate) == ["鲁E12345"])
            try again.close()
        }
    }

    @Test("a file migrated by a newer Cordon is refused, naming the unknown migrations")
    func newerSchema() throws {
        try withTemporaryDirectory { dir in
            let unknown: StoreSchema.Migration = (id: "v9-future", apply: { @Sendable _ in })
            let future = StoreSchema.main + [unknown]
            try Store(directory: dir, migrations: future).close()
            #expect(throws: StoreError.newerSchema(path: dir + "/cordon.sqlite", unknownMigrations: ["v9-future"])) {
                try Store(directory: dir)
            }
        }
    }

    @Test("a file that is not a database cannot be opened, and the error says where and why")
    func notADatabase() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/cordon.sqlite"
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Store(directory: dir)
                Issue.record("opened a file of 'A's as a database")
            } catch let error as StoreError {
                guard case .cannotOpen(let p, let reason) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(p == path)
                #expect(reason.contains("not a Cordon database"))
                #expect(error.description.contains("--data"))
            }
        }
    }

    @Test("a data directory that cannot be created is reported as such")
    func directoryIsAFile() throws {
        try withTemporaryDirectory { dir in
            let file = dir + "/plain-file"
            try Data("x".utf8).write(to: URL(fileURLWithPath: file))
            #expect {
                try Store(directory: file + "/data")
            } throws: { error in
                guard let e = error as? StoreError, case .cannotCreateDirectory(let p, _) = e else { return false }
                return p == file + "/data"
            }
        }
    }

    @Test("an in-memory store has the same schema")
    func inMemory() throws {
        let store = try Store.inMemory()
        #expect(try store.appliedMigrations() == allMigrations)
        try store.upsertPeople([Person(id: "P1")])
        #expect(try store.loadRegistry().people.map(\.id) == ["P1"])
    }
}
