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
