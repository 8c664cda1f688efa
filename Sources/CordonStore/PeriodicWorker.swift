import Foundation

/// A thread of its own that does one round of work every `interval` until it is closed: the
/// shape of the checkpointer and the retention sweeper, written once.
///
/// `close()` wakes the thread, lets a round under way finish (a long round asks
/// ``isStopping`` between its steps and ends early), runs `last` on the thread, and returns
/// once the thread has ended. Closing twice does nothing more.
public final class PeriodicWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false

    /// - Parameters:
    ///   - firstAfter: seconds before the first round.
    ///   - interval: seconds from the end of one round to the start of the next.
    ///   - round: one round of work; it may read ``isStopping`` to end a long round early.
    ///   - last: run once on the thread after the last round, when closing.
    public init(
        name: String, urgency: WorkerThread.Urgency, firstAfter: TimeInterval, interval: TimeInterval,
        round: @escaping @Sendable (PeriodicWorker) -> Void, last: @escaping @Sendable () -> Void = {}
    ) {
        WorkerThread.start(name: name, urgency: urgency) { [self] in
            run(firstAfter: firstAfter, interval: interval, round: round, last: last)
        }
    }

    /// True once ``close()`` has been called.
    public var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// Stops the thread after the round under way and `last`, and waits for it.
    public func close() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run(firstAfter: TimeInterval, interval: TimeInterval, round: (PeriodicWorker) -> Void, last: () -> Void) {
        var next = Date().addingTimeInterval(firstAfter)
        while true {
            condition.lock()
            while !stopping && Date() < next { _ = condition.wait(until: next) }
            let stop = stopping
            condition.unlock()
            if stop { break }
            round(self)
            next = Date().addingTimeInterval(interval)
        }
        last()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
