import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("Checkpoints off the engine's thread")
struct StoreCheckpointerTests {
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

    @Test("a store in memory needs no checkpoints")
    func inMemory() throws {
        let checkpointer = try StoreCheckpointer(store: try Store.inMemory())
        try checkpointer.checkpoint()
        checkpointer.close()
    }
}
