import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("StoreWriter: background batched writes")
struct StoreWriterTests {
    static let person = SubjectKey.person("P0042")
    static let forever = Instant(milliseconds: Int64.max)

    @Test("flush() returns once what was queued is committed: a second store on the file sees it")
    func flushCommits() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            // A long interval: only flush() can have written these.
            let writer = StoreWriter(store: store, batchSize: 100_000, interval: .seconds(60))
            let points = PositionTests.walk(Self.person, count: 2500, from: morning, everySeconds: 1)
            for p in points { writer.append(p) }
            writer.append(DeadLetter(receivedAt: morning, reason: "malformed-json", message: "m", raw: "{"))

            try writer.flush()
            let reader = try Store(directory: dir)
            #expect(try reader.track(subject: Self.person, from: morning, until: Self.forever) == points)
            #expect(try reader.deadLetterCounts() == ["malformed-json": 1])
            try writer.close()
            try reader.close()
            try store.close()
        }
    }

    @Test("close() writes what is left and stops; later items are refused and counted")
    func closeCommits() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let writer = StoreWriter(store: store, batchSize: 64, interval: .seconds(60))
            let points = PositionTests.walk(Self.person, count: 1000, from: morning, everySeconds: 1)
            writer.append(points)
            writer.append(deadLetters: [DeadLetter(receivedAt: morning, reason: "unknown-type", message: "m", raw: "{}")])
            try writer.close()
            try writer.close()  // idempotent
            #expect(writer.append(points[0]) == false)
            #expect(writer.droppedCount == 1)
            try writer.flush()  // nothing queued: returns at once

            try store.close()
            let reader = try Store(directory: dir)
            #expect(try reader.track(subject: Self.person, from: morning, until: Self.forever) == points)
            #expect(try reader.deadLetterCounts() == ["unknown-type": 1])
        }
    }

    @Test("without flush, items are committed within the interval")
    func interval() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let writer = StoreWriter(store: store, batchSize: 10_000, interval: .milliseconds(200))
            let reader = try Store(directory: dir)
            let points = PositionTests.walk(Self.person, count: 10, from: morning, everySeconds: 1)
            writer.append(points)
            let start = ContinuousClock.now
            var seen = 0
            while seen < points.count, ContinuousClock.now - start < .seconds(5) {
                Thread.sleep(forTimeInterval: 0.02)
                seen = try reader.track(subject: Self.person, from: morning, until: Self.forever).count
            }
            let waited = ContinuousClock.now - start
            #expect(seen == points.count)
            #expect(waited >= .milliseconds(150), "written before the interval: \(waited)")
            #expect(waited < .seconds(2), "written too late: \(waited)")
            try writer.close()
        }
    }

    @Test("many producer threads, full batches and flushes: every item lands once")
    func concurrentProducers() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let store = try Store(directory: dir)
            let writer = StoreWriter(store: store, batchSize: 500, interval: .milliseconds(50))
            await withTaskGroup(of: Void.self) { group in
                for t in 0..<4 {
                    group.addTask {
                        let key = SubjectKey.tag("T\(t)")
                        let points = PositionTests.walk(key, count: 5000, from: morning, everySeconds: 1)
                        for chunk in stride(from: 0, to: points.count, by: 250) {
                            writer.append(Array(points[chunk..<min(chunk + 250, points.count)]))
                            if chunk % 1000 == 0 { try? writer.flush() }
                        }
                    }
                }
            }
            try writer.close()
            #expect(writer.droppedCount == 0)
            for t in 0..<4 {
                let track = try store.track(subject: .tag("T\(t)"), from: morning, until: Self.forever, limit: 100_000)
                #expect(track == PositionTests.walk(.tag("T\(t)"), count: 5000, from: morning, everySeconds: 1))
            }
        }
    }

    @Test("a full queue drops new items and counts them instead of growing without bound")
    func boundedQueue() throws {
        let store = try Store.inMemory()
        let writer = StoreWriter(store: store, batchSize: 1_000_000, interval: .seconds(60), maxQueued: 10)
        let points = PositionTests.walk(Self.person, count: 15, from: morning, everySeconds: 1)
        #expect(writer.append(Array(points[0..<10])))
        #expect(writer.append(points[10]) == false)
        #expect(writer.droppedCount == 1)
        try writer.close()
        #expect(try store.track(subject: Self.person, from: morning, until: Self.forever).count == 10)
    }

    @Test("a write the store refuses is kept and written once it takes writes again; flush reports the refusal and returns")
    func refusedWriteKept() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let errors = ErrorLog()
            let writer = StoreWriter(store: store, interval: .milliseconds(50), onError: { errors.add($0) })
            let letters = (0..<40).map { i in
                DeadLetter(receivedAt: morning.adding(seconds: Double(i)), reason: .malformedJSON("line \(i)"),
                           raw: Array(String(repeating: "x", count: 3000).utf8))
            }
            try store.capSize(extraPages: 0)  // the disk is full
            writer.append(deadLetters: letters)
            #expect(throws: StoreError.self) { try writer.flush() }
            #expect(writer.droppedCount == 0, "nothing is given up while the writer runs")
            #expect(writer.queuedCount == 40)
            #expect(errors.count >= 1)
            try store.capSize(extraPages: nil)  // space again
            let deadline = Date().addingTimeInterval(StoreWriter.retrySeconds + 3)
            while writer.queuedCount > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(writer.queuedCount == 0)
            try writer.flush()
            #expect(try store.deadLetters(limit: 100).count == 40)
            try writer.close()
        }
    }

    @Test("what the store still refuses when the writer closes is dropped and counted")
    func refusedAtClose() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let writer = StoreWriter(store: store, interval: .seconds(60))
            try store.close()  // every write now fails
            writer.append(PositionTests.walk(Self.person, count: 3, from: morning, everySeconds: 1))
            #expect(throws: StoreError.self) { try writer.flush() }
            #expect(writer.droppedCount == 0)
            #expect(throws: StoreError.self) { try writer.close() }
            #expect(writer.droppedCount == 3)
        }
    }
}

/// Errors told to `onError`, from the writer thread.
final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [StoreError] = []
    func add(_ e: StoreError) { lock.withLock { errors.append(e) } }
    var count: Int { lock.withLock { errors.count } }
}

func withTemporaryDirectoryAsync<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("cordon-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
