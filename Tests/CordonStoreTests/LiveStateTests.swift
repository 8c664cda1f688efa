import Foundation
import GRDB
import Testing

@testable import CordonStore

/// The live-state journal as the store keeps it (docs/operations.md): subject rows appended to a
/// log and the state outside subjects in the main file; the log folded, and the movements blob
/// kept, beside the positions.
@Suite("live state: a log in the main file, folded and moved beside the positions")
struct LiveStateTests {
    static func rows(_ pairs: [(String, UInt8)]) -> [(key: String, data: Data)] { pairs.map { (key: $0.0, data: Data([$0.1])) } }

    @Test("each subject's newest row comes back, by sequence: a row of an older drain committed later never replaces a newer one")
    func newestBySequence() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.record([], gate: [], lives: [LiveState(sequence: 5, subjects: Self.rows([("person:P1", 1), ("person:P2", 2)]))])
            try store.record([], gate: [], lives: [LiveState(sequence: 6, subjects: Self.rows([("person:P1", 11)]))])
            // A write of drain 4 that reached the store after drain 6 (the clean stop's full
            // write is the only other writer, and it is numbered after every drain).
            try store.saveLive(LiveState(sequence: 4, subjects: Self.rows([("person:P1", 99), ("person:P3", 3)])))
            #expect(try store.loadLive().subjects == [Data([11]), Data([2]), Data([3])])
        }
    }

    @Test("folding moves the log into the track file and changes nothing a restart reads, even if it stops half way")
    func folding() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            for seq in 1...30 {
                try store.record([], gate: [], lives: [LiveState(sequence: UInt64(seq), subjects: Self.rows([("person:P\(seq % 7)", UInt8(seq))]))])
            }
            let before = try store.loadLive().subjects
            #expect(before.count == 7)
            #expect(try store.foldLive(limit: 10) == 10)
            #expect(try store.loadLive().subjects == before)
            // A crash after the track file took a step and before the log lost it: both hold
            // those rows, and laying one over the other gives the same state.
            try DatabaseQueue(path: store.tracksPath).write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO live_base (subject, seq, data) SELECT subject, seq, data FROM live_base")
            }
            while try store.foldLive(limit: 8) > 0 {}
            #expect(try store.loadLive().subjects == before)
            let logged = try DatabaseQueue(path: store.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM live_log") }
            let folded = try DatabaseQueue(path: store.tracksPath).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM live_base") }
            #expect(logged == 0 && folded == 7)
            #expect(try store.stats().classes.first { $0.name == "live_subjects" }?.rows == 7)
        }
    }

    @Test("a store from before the log: its rows are read, folded at the next start, and a new run's first drain outranks them")
    func rowsOfAnOlderStore() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try DatabaseQueue(path: store.path).write { db in
                try db.execute(sql: "INSERT INTO live_subjects (subject, seq, data) VALUES ('person:P1', 900, x'01'), ('person:P2', 900, x'02')")
            }
            try store.record([], gate: [], lives: [LiveState(sequence: 901, subjects: Self.rows([("person:P2", 22)]))])
            #expect(try store.loadLive().subjects == [Data([1]), Data([22])])
            try store.resetLiveSequences()
            #expect(try store.loadLive().subjects == [Data([1]), Data([22])])
            try store.record([], gate: [], lives: [LiveState(sequence: 1, subjects: Self.rows([("person:P1", 7)]))])
            #expect(try store.loadLive().subjects == [Data([7]), Data([22])])
            let old = try DatabaseQueue(path: store.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM live_subjects") }
            #expect(old == 0)
        }
    }

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
