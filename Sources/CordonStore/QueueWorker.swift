import Foundation

/// A thread of its own that takes items in the order they were submitted and hands each to
/// `handle`: the shape of the live-state journal's writer, written once.
///
/// ``submit(_:)`` never waits for the work; ``flush()`` waits until everything submitted is
/// handled; ``close()`` handles what is queued, stops the thread and waits for it. Items
/// submitted after closing are dropped. `handle` runs on the worker's thread only, so state
/// it alone touches needs no lock.
public final class QueueWorker<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var busy = false
    private var closing = false
    private var finished = false

    public init(name: String, urgency: WorkerThread.Urgency, handle: @escaping @Sendable (Item) -> Void) {
        WorkerThread.start(name: name, urgency: urgency) { [self] in run(handle) }
    }

    /// Queues `item`; dropped once closing.
    public func submit(_ item: Item) {
        condition.lock()
        defer { condition.unlock() }
        guard !closing else { return }
        queue.append(item)
        condition.signal()
    }

    /// Blocks until everything submitted so far is handled.
    public func flush() {
        condition.lock()
        while (!queue.isEmpty || busy) && !finished { condition.wait() }
        condition.unlock()
    }

    /// Handles what is queued, stops the thread and waits for it. Calling it again does nothing.
    public func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run(_ handle: (Item) -> Void) {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            if queue.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let item = queue.removeFirst()
            busy = true
            condition.unlock()
            handle(item)
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
