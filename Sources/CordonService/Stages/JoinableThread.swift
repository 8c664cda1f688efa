import CordonStore
import Foundation

/// A thread that can be waited for: `WorkerThread` named and prioritised, plus its end.
final class JoinableThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        WorkerThread.start(name: name, urgency: .alarmPath) { [done] in
            body()
            done.signal()
        }
    }

    /// Waits for the body to return.
    func join() { done.wait() }
}
