import Foundation
import Testing

@testable import CordonService

/// The queues between replay's threads (Stages/Handoff.swift): bounded however the two sides run.
@Suite("hand-off between threads: in order, waiting for room, holding at most twice its capacity")
struct HandoffTests {
    @Test("a consumer that never quite catches up: every batch arrives in order, and the queue never holds more than twice its capacity")
    func boundedWhileBehind() {
        let h = Handoff<Int>(capacity: 4)
        let maxHeld = Locked(0)
        let got = Locked<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            // Slower than the producer: the queue is full at every take and never runs empty
            // until the end.
            usleep(20_000)
            while let b = h.take() {
                usleep(200)
                got.withLock { $0.append(b) }
                maxHeld.withLock { $0 = max($0, h.held) }
            }
            done.signal()
        }.start()
        for i in 0..<2_000 {
            h.put(i)
            maxHeld.withLock { $0 = max($0, h.held) }
        }
        h.close()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(got.withLock { $0 } == Array(0..<2_000))
        #expect(maxHeld.withLock { $0 } <= 8, "the queue held \(maxHeld.withLock { $0 }) batches")
    }
}
