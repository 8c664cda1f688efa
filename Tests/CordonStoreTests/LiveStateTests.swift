import Foundation
import GRDB
import Testing

@testable import CordonStore

/// The live-state journal as the store keeps it (docs/operations.md): subject rows and the
/// state outside subjects in the main file, the movements blob beside the positions.
@Suite("live state: rows in the main file, movements beside the positions")
struct LiveStateTests {
    @Test("rows, globals and the movements blob come back after a restart; the blob is in tracks.sqlite")
    func roundTrip() throws {
        try withTemporaryDirectory { dir in
            let blob = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            do {
                let store = try Store(directory: dir)
                try store.saveLive(LiveState(sequence: 3, subjects: [(key: "person:P1", data: Data([1, 2]))],
                                             globals: Data("{}".utf8), movements: blob))
                try store.close()
            }
            let store = try Store(directory: dir)
            let live = try store.loadLive()
            #expect(live.globals == Data("{}".utf8) && live.subjects == [Data([1, 2])] && live.movements == blob)
            let inTracks = try DatabaseQueue(path: store.tracksPath).read { db in try Data.fetchOne(db, sql: "SELECT data FROM movements") }
            #expect(inTracks == blob)
            let inMain = try DatabaseQueue(path: store.path).read { db in
                try Data.fetchOne(db, sql: "SELECT data FROM state WHERE key = ?", arguments: [Store.liveMovementsKey])
            }
            #expect(inMain == nil, "the main file's write lock is never taken for the blob")
        }
    }

    @Test("a store written before the movements table: its blob in the main file is still read, until a newer one is written")
    func olderStore() throws {
        try withTemporaryDirectory { dir in
            let old = Data([9, 9, 9])
            do {
                let store = try Store(directory: dir)
                try store.saveState(key: Store.liveMovementsKey, data: old)
                try store.close()
            }
            let store = try Store(directory: dir)
            #expect(try store.loadLive().movements == old)
            try store.saveLive(LiveState(sequence: 1, subjects: [], movements: Data([1])))
            #expect(try store.loadLive().movements == Data([1]))
            try store.clearLive()
            let cleared = try store.loadLive()
            #expect(cleared.movements == nil && cleared.globals == nil && cleared.subjects.isEmpty)
        }
    }
}
