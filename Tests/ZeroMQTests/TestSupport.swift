import Foundation
import Testing
import ZeroMQ

/// Wildcard TCP endpoint on loopback; read the real port back with `lastEndpoint`.
let loopbackAnyPort = "tcp://127.0.0.1:*"

/// Longest any single wait in these tests may take; generous so slow CI does not flake,
/// while a hang still fails well inside a few seconds.
let patience = 2.0

/// A value written on one thread and read on another.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Runs `body` on its own OS thread (not a Swift concurrency thread, since it blocks in libzmq).
final class BackgroundThread: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        Thread {
            body()
            finished.signal()
        }.start()
    }

    /// Whether `body` returned within `seconds`.
    func wait(seconds: Double = patience) -> Bool {
        finished.wait(timeout: .now() + seconds) == .success
    }
}

/// Seconds elapsed while running `body`.
func measure<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (result, seconds)
}

/// Repeats `attempt` every 10 ms until it returns a value or `seconds` pass; for conditions
/// libzmq reaches asynchronously (connections, subscriptions).
func eventually<T>(within seconds: Double = patience, _ attempt: () throws -> T?) rethrows -> T? {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while true {
        if let value = try attempt() { return value }
        if ContinuousClock.now >= deadline { return nil }
        Thread.sleep(forTimeInterval: 0.01)
    }
}

/// A bound PULL and a connected PUSH in `context`, the PULL with a receive timeout so a
/// missing message fails the test instead of hanging it.
func pushPullPair(_ context: ZMQContext, endpoint: String) throws -> (push: Socket, pull: Socket) {
    let pull = try context.socket(.pull)
    try pull.setReceiveTimeout(Int(patience * 1000))
    try pull.bind(endpoint)
    let push = try context.socket(.push)
    try push.connect(try #require(try pull.lastEndpoint))
    return (push, pull)
}

extension Array where Element == UInt8 {
    /// UTF-8 bytes of a string, to keep expectations readable.
    init(text: String) { self = Array(text.utf8) }
}
