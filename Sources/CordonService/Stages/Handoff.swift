import Foundation

/// A bounded first-in-first-out hand-off of batches from one thread to the next: the producer
/// waits while `capacity` batches are queued, the consumer while none is. Batches, not items,
/// cross it, so that the lock is taken once per few hundred lines, not once per message.
final class Handoff<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues `batch`, waiting for room.
    func put(_ batch: Batch) {
        condition.lock()
        while queue.count - head >= capacity { condition.wait() }
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// No more batches will come: `take()` returns nil once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, waiting for one; nil once closed and empty.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !closed { condition.wait() }
        guard head < queue.count else { return nil }
        let b = queue[head]
        head += 1
        // Taken batches leave the array at once when it empties, else every `capacity` takes:
        // a consumer that never quite catches up must not keep every batch it ever took.
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= capacity {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return b
    }

    /// Batches the queue still holds, taken or not (at most twice `capacity`).
    var held: Int { condition.withLock { queue.count } }
}
