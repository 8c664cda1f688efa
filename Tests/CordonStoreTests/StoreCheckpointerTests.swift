import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("Checkpoints off the engine's thread")
struct StoreCheckpointerTests {
    @Test("each round also folds the live-state log the commits appended, whatever its length")
    func foldsTheLiveLog() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let checkpointer = try StoreCheckpointer(store: store, interval: .seconds(3600))
            for seq in 1...12 {
                let rows = (0..<1_000).map { (key: "person:P\($0)", data: Data([UInt8(seq)])) }
                try store.record([], gate: [], lives: [LiveState(sequence: UInt64(seq), subjects: rows)])
            }
            try checkpointer.checkpoint()
            let stats = try store.stats()
            #expect(stats.classes.first { $0.name == "live_log" }?.rows == 0)
            #expect(stats.classes.first { $0.name == "live_subjects" }?.rows == 1_000)
            #expect(try store.loadLive().subjects.allSatisfy { $0 == Data([12]) })
            checkpointer.close()
        }
    }

    @Test("a fold keeps, for each subject, the row with the highest drain number, the last of equals")
    func foldKeepsTheNewest() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            // P1: 5, then 7, then an older 6 (a held write landing late); P2: two rows of drain 3.
            let commits: [(UInt64, [(String, UInt8)])] = [
                (5, [("person:P1", 1), ("person:P2", 1)]), (7, [("person:P1", 2)]), (6, [("person:P1", 3)]),
                (3, [("person:P2", 4)]), (3, [("person:P2", 5)]),
            ]
            for (seq, rows) in commits {
                try store.record([], gate: [], lives: [LiveState(sequence: seq, subjects: rows.map { (key: $0.0, data: Data([$0.1])) })])
            }
            #expect(try store.foldLive(limit: 100) == 6)
            #expect(try store.foldLive(limit: 100) == 0)
            #expect(try store.loadLive().subjects.sorted { $0[0] < $1[0] } == [Data([1]), Data([2])].sorted { $0[0] < $1[0] })
            // A later fold over what is already folded keeps the rule: an older drain never replaces a newer.
            try store.record([], gate: [], lives: [LiveState(sequence: 4, subjects: [(key: "person:P1", data: Data([9]))])])
            try store.record([], gate: [], lives: [LiveState(sequence: 5, subjects: [(key: "person:P2", data: Data([8]))])])
            try store.foldLive(limit: 100)
            #expect(Set(try store.loadLive().subjects) == [Data([2]), Data([8])])
            try store.close()
        }
    }

    @Test("the checkpointer copies the log back while commits go on, and leaves the data as it was")
    func checkpoints() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let checkpointer = try StoreCheckpointer(store: store, interval: .milliseconds(20))
            for i in 0..<200 {
                let v = tankFarmIntrusion(id: "V-\(i)", at: morning.adding(seconds: Double(i)), person: "P\(i)")
                try store.record(v, body: body(of: v))
            }
            try checkpointer.checkpoint()
            checkpointer.close()
            checkpointer.close()  // twice is harmless
            #expect(try store.openAlarms().count == 200)
            try store.close()
        }
    }

    @Test("under commits that never pause the log is started over past its limit instead of growing")
    func logStartsOver() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let checkpointer = try StoreCheckpointer(store: store, interval: .milliseconds(20), restartFrames: 64)
            let wal = URL(fileURLWithPath: dir).appendingPathComponent("cordon.sqlite-wal").path
            func walBytes() -> Int { ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int) ?? 0 }
            // About 20 KB a commit, a commit every half millisecond or so for three seconds (as
            // the committer under a flood): over a hundred megabytes of log if it were never
            // started over (measured with a limit no log reaches), a few with a limit of 64 frames.
            let row = Data(repeating: 0x5A, count: 1_000)
            var seq: UInt64 = 0
            var written = 0
            var largest = 0
            let until = Date().addingTimeInterval(3)
            while Date() < until {
                seq += 1
                let rows = (0..<20).map { (key: "person:P\(seq % 50)-\($0)", data: row) }
                try store.record([], gate: [], lives: [LiveState(sequence: seq, subjects: rows)])
                written += 20 * row.count
                largest = max(largest, walBytes())
                Thread.sleep(forTimeInterval: 0.0005)
            }
            checkpointer.close()
            // Never started over, the log holds at least every byte written (115 MB of log for
            // 40 MB of rows, measured with a limit no log reaches); started over, a few MB,
            // and well under what was written even on a machine busy with a build.
            #expect(written > 20_000_000, "the test wrote enough to matter (\(written) bytes)")
            #expect(largest < written, "the log stayed bounded: at most \(largest) bytes for \(written) written")
            try store.close()
        }
    }

    @Test("a store in memory needs no checkpoints: asking for one changes nothing and the store goes on")
    func inMemory() throws {
        let store = try Store.inMemory()
        let checkpointer = try StoreCheckpointer(store: store, interval: .milliseconds(5))
        let before = tankFarmIntrusion(id: "V-1", at: morning, person: "P1")
        try store.record(before, body: body(of: before))
        try checkpointer.checkpoint()
        let after = tankFarmIntrusion(id: "V-2", at: morning.adding(seconds: 1), person: "P2")
        try store.record(after, body: body(of: after))
        checkpointer.close()
        #expect(try store.openAlarms().map(\.id).sorted() == ["V-1", "V-2"])
    }
}
