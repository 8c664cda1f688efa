import Foundation

/// Set by SIGINT/SIGTERM (or by a test) and read by the engine loop between polls.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    public func set() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Routes SIGINT and SIGTERM to this flag instead of killing the process, so the service
    /// can flush the store and save its state.
    public func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { [weak self] in self?.set() }
            src.resume()
            sources.append(src)
        }
    }
}
