import Foundation
import Testing

@testable import CordonStore

@Suite("Engine state by key")
struct StateTests {
    @Test("a saved blob comes back byte for byte after a restart, and is replaced by the next save")
    func saveAndLoad() throws {
        try withTemporaryDirectory { dir in
            let snapshot: [UInt8] = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            do {
                let store = try Store(directory: dir)
                #expect(try store.loadState(key: "engine") == nil)
                try store.saveState(key: "engine", data: [1, 2, 3])
                try store.saveState(key: "engine", data: snapshot)
                try store.saveState(key: "muster", data: Data("进行中".utf8))
                try store.close()
            }
            let store = try Store(directory: dir)
            #expect(try store.loadState(key: "engine") == Data(snapshot))
            #expect(try store.loadState(key: "muster").map { String(decoding: $0, as: UTF8.self) } == "进行中")
            #expect(try store.removeState(key: "muster"))
            #expect(try store.loadState(key: "muster") == nil)
        }
    }

    @Test("an empty blob is a saved value, not an absent one")
    func emptyBlob() throws {
        let store = try Store.inMemory()
        try store.saveState(key: "empty", data: [UInt8]())
        #expect(try store.loadState(key: "empty") == Data())
    }
}
