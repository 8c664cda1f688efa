import CordonCore
import CordonService
import CordonWire
import Synchronization

/// The HTTP side's way to the engine thread: one request through the bounded mailbox, its
/// answer awaited with a deadline. Never waits for room: a full mailbox is an error at once.
struct EngineClient: Sendable {
    let mailbox: ControlMailbox

    enum Failure: Error, CustomStringConvertible {
        case busy
        case timeout(Double)

        var description: String {
            switch self {
            case .busy: return "the engine has too many requests waiting; try again shortly"
            case .timeout(let s): return "the engine thread did not answer within \(s) s"
            }
        }
    }

    /// Sends `work` and waits at most `timeoutS` for its answer.
    func ask(_ work: ControlMailbox.Work, timeoutS: Double) async throws(Failure) -> [UInt8] {
        let once = Once()
        let result: Result<[UInt8], Failure> = await withCheckedContinuation { (k: CheckedContinuation<Result<[UInt8], Failure>, Never>) in
            once.set(k)
            let queued = mailbox.submit(work) { reply in once.resume(.success(reply)) }
            if !queued {
                once.resume(.failure(.busy))
                return
            }
            Task {
                try? await Task.sleep(for: .milliseconds(Int(timeoutS * 1000)))
                once.resume(.failure(.timeout(timeoutS)))
            }
        }
        return try result.get()
    }

    /// A control request from `caller`, answered as parsed JSON.
    func control(_ request: Value, caller: Caller, timeoutS: Double) async throws(Failure) -> [UInt8] {
        try await ask(.control(request, caller), timeoutS: timeoutS)
    }

    /// Resumes a continuation exactly once, whichever of reply and deadline comes first.
    final class Once: Sendable {
        private let k = Mutex<CheckedContinuation<Result<[UInt8], Failure>, Never>?>(nil)
        func set(_ c: CheckedContinuation<Result<[UInt8], Failure>, Never>) { k.withLock { $0 = c } }
        func resume(_ r: Result<[UInt8], Failure>) {
            let c = k.withLock { v -> CheckedContinuation<Result<[UInt8], Failure>, Never>? in
                defer { v = nil }
                return v
            }
            c?.resume(returning: r)
        }
    }
}
