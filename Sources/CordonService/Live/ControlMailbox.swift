import CordonCore
import Glibc
import Synchronization

/// How the HTTP side asks the engine thread for something without touching its state: a
/// bounded queue under a lock, and a self-pipe that the engine's poll loop watches.
///
/// `submit` never waits: when the queue is full it says so, and the HTTP side answers 503.
/// The engine drains a few requests per turn of its loop, so a burst of HTTP requests cannot
/// starve ingest either.
public final class ControlMailbox: Sendable {
    /// What the engine is asked to do.
    public enum Work: Sendable {
        /// A control request of docs/protocol.md, "Control requests", from an HTTP caller (role-checked, audited).
        case control(Value, Caller)
        /// A read of the pipeline's state, run on the engine thread (metrics, health).
        case inspect(@Sendable (Pipeline) -> [UInt8])
    }

    struct Entry: Sendable {
        var work: Work
        var enqueued: Double
        var reply: @Sendable ([UInt8]) -> Void
    }

    struct State {
        var queue: [Entry] = []
        var lagS: Double = 0
    }

    private let state = Mutex(State())
    /// Requests waiting at most; past that `submit` refuses.
    public let capacity: Int
    /// Readable while requests wait: the engine polls it beside its sockets.
    public let fileDescriptor: Int32
    private let writeEnd: Int32

    /// - Throws: ``MailboxError/noPipe`` when the kernel gives no pipe (out of descriptors).
    public init(capacity: Int = 256) throws(MailboxError) {
        self.capacity = capacity
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .noPipe(errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        fileDescriptor = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(fileDescriptor)
        close(writeEnd)
    }

    /// Queues `work`; `reply` is called once, on the engine thread, with the answer. False
    /// when the queue is full (the engine is behind): nothing is queued then.
    public func submit(_ work: Work, reply: @escaping @Sendable ([UInt8]) -> Void) -> Bool {
        let entry = Entry(work: work, enqueued: WallClock.monotonic(), reply: reply)
        let queued = state.withLock { s -> Bool in
            guard s.queue.count < capacity else { return false }
            s.queue.append(entry)
            return true
        }
        if queued { wake() }
        return queued
    }

    /// How long the last request waited for the engine thread, in seconds.
    public var engineLagSeconds: Double { state.withLock { $0.lagS } }

    /// Requests waiting now.
    public var depth: Int { state.withLock { $0.queue.count } }

    /// A full pipe is already readable: a failed write loses no wake-up.
    private func wake() {
        var one: UInt8 = 1
        _ = write(writeEnd, &one, 1)
    }

    /// Engine side: takes at most `limit` requests, oldest first. Leaves the eventfd readable
    /// when more wait, so the next turn of the loop takes them.
    func take(limit: Int) -> [Entry] {
        var sink = [UInt8](repeating: 0, count: 256)
        while read(fileDescriptor, &sink, sink.count) == sink.count {}
        let now = WallClock.monotonic()
        let (taken, more) = state.withLock { s -> ([Entry], Bool) in
            let n = min(limit, s.queue.count)
            let t = Array(s.queue.prefix(n))
            s.queue.removeFirst(n)
            if let first = t.first { s.lagS = now - first.enqueued }
            return (t, !s.queue.isEmpty)
        }
        if more { wake() }
        return taken
    }

    /// Engine side: answers what waits, in order (called from the engine's loop only).
    func serve(_ pipeline: Pipeline, limit: Int = 32) {
        for e in take(limit: limit) {
            switch e.work {
            case .control(let request, let caller):
                e.reply(pipeline.control(request, at: WallClock.now(), caller: caller))
            case .inspect(let read):
                e.reply(read(pipeline))
            }
        }
    }
}

/// Why the HTTP side could not reach the engine.
public enum MailboxError: Error, CustomStringConvertible {
    case noPipe(errno: Int32)

    public var description: String {
        switch self {
        case .noPipe(let e): return "cannot create the pipe the HTTP side wakes the engine with (errno \(e)); raise the open-file limit"
        }
    }
}
