import CZeroMQ
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A libzmq context: the I/O threads and the namespace for `inproc://` endpoints.
///
/// `@unchecked Sendable` because libzmq contexts are thread-safe; the only Swift state is
/// the lifecycle flag, which is guarded by a mutex. Every `Socket` keeps its context alive,
/// so dropping the last reference to a context never races with sockets still in use.
public final class ZMQContext: @unchecked Sendable {
    private enum State {
        case open
        case shutDown
        case terminated
    }

    /// The libzmq context; valid until `terminate()` has run, which is why every use of it
    /// outside `terminate()` happens under `state`'s lock and checks the state first.
    private let handle: UnsafeMutableRawPointer
    private let state = Mutex<State>(.open)

    /// Creates a context with `ioThreads` background I/O threads (one is plenty below
    /// roughly a gigabit per second of traffic).
    ///
    /// The context is made non-blocky (ZMQ_BLOCKY = 0): new sockets get a linger of 0, so
    /// `terminate()` is not held up by messages that can no longer be delivered.
    public init(ioThreads: Int = 1) throws {
        guard let threads = Int32(exactly: ioThreads), threads >= 0 else {
            throw ZMQError(code: EINVAL, operation: "create context with \(ioThreads) I/O threads")
        }
        guard let ctx = zmq_ctx_new() else {
            throw ZMQError.last("create context")
        }
        guard zmq_ctx_set(ctx, ZMQ_IO_THREADS, threads) == 0 else {
            let error = ZMQError.last("set context ZMQ_IO_THREADS \(ioThreads)")
            zmq_ctx_term(ctx)
            throw error
        }
        guard zmq_ctx_set(ctx, ZMQ_BLOCKY, 0) == 0 else {
            let error = ZMQError.last("set context ZMQ_BLOCKY")
            zmq_ctx_term(ctx)
            throw error
        }
        handle = ctx
    }

    deinit {
        terminate()
    }

    /// Creates a socket of the given pattern in this context.
    ///
    /// Fails with `isTerminated` once the context has been shut down or terminated.
    public func socket(_ type: SocketType) throws -> Socket {
        let raw: UnsafeMutableRawPointer? = state.withLock { state in
            // The lock keeps terminate() from freeing the context under zmq_socket.
            guard state != .terminated else { return nil }
            return zmq_socket(handle, type.rawZMQValue)
        }
        guard let raw else {
            if state.withLock({ $0 == .terminated }) {
                throw ZMQError(code: ETERM, operation: "create \(type) socket")
            }
            throw ZMQError.last("create \(type) socket")
        }
        return Socket(handle: raw, type: type, context: self)
    }

    /// Makes every blocking call on this context's sockets fail with `isTerminated`, and every
    /// later call too, without waiting for anything. Idempotent.
    ///
    /// Use it from a signal handler thread or a stop routine: socket owners see `isTerminated`,
    /// close their sockets, and `terminate()` can then finish.
    public func shutdown() {
        state.withLock { state in
            guard state == .open else { return }
            zmq_ctx_shutdown(handle)
            state = .shutDown
        }
    }

    /// Shuts the context down and releases it. Idempotent; also run by `deinit`.
    ///
    /// This blocks until every socket of the context is closed: sockets blocked in another
    /// thread wake with `isTerminated` and their owners must then close them. Calling it while
    /// the same thread still holds an open socket of this context never returns.
    public func terminate() {
        let shouldTerminate = state.withLock { state in
            guard state != .terminated else { return false }
            state = .terminated
            return true
        }
        guard shouldTerminate else { return }
        // EINTR means a signal cut the wait short; termination itself must still complete.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// Whether `terminate()` has been called.
    public var isTerminated: Bool {
        state.withLock { $0 == .terminated }
    }
}
