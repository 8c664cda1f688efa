import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits on several sockets (and optionally plain file descriptors) at once, over `zmq_poll`.
///
/// Register items once, then call `poll(timeoutMilliseconds:)` in the loop; it returns the
/// indices (in registration order) of the items that are ready. Like its sockets, a poller
/// belongs to one thread at a time. It retains the registered sockets so they cannot be freed
/// while registered; polling a socket that was closed throws `isClosed`.
public final class Poller {
    private enum Source {
        case socket(Socket)
        case fileDescriptor(Int32)
    }

    private var sources: [Source] = []
    /// Kept between polls so the loop does not rebuild the C array each time.
    private var items: [zmq_pollitem_t] = []

    /// Creates an empty poller.
    public init() {}

    /// The number of registered items.
    public var count: Int { items.count }

    /// Adds `socket`, waiting for `events`.
    ///
    /// - Returns: the item's index, as reported by `poll`.
    @discardableResult
    public func register(_ socket: Socket, for events: PollEvents = .readable) -> Int {
        sources.append(.socket(socket))
        items.append(zmq_pollitem_t(socket: socket.rawHandle, fd: 0, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Adds a plain file descriptor (a pipe used to wake the loop, say), waiting for `events`.
    ///
    /// - Returns: the item's index, as reported by `poll`.
    @discardableResult
    public func register(fileDescriptor: Int32, for events: PollEvents = .readable) -> Int {
        sources.append(.fileDescriptor(fileDescriptor))
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Changes the events waited for on the item at `index`, e.g. to stop waiting for
    /// writability once an outgoing queue is drained. Out-of-range indices are ignored.
    public func setEvents(_ events: PollEvents, at index: Int) {
        guard items.indices.contains(index) else { return }
        items[index].events = events.rawValue
    }

    /// Waits until at least one item is ready or `timeoutMilliseconds` pass
    /// (-1 waits forever, 0 only checks).
    ///
    /// - Returns: indices of the ready items, in registration order; empty on timeout.
    /// - Throws: `ZMQError` with `isInterrupted` on a signal (poll again after checking the
    ///   stop flag), `isTerminated` when the context ends, `isClosed` if a registered socket
    ///   was closed.
    public func poll(timeoutMilliseconds: Int = -1) throws -> [Int] {
        // Sockets may have been closed since registration; a nil socket with fd 0 would
        // make libzmq poll stdin instead, so refuse rather than guess.
        for (index, source) in sources.enumerated() {
            guard case .socket(let socket) = source else { continue }
            guard let raw = socket.rawHandle else {
                throw ZMQError(code: ENOTSOCK, operation: "poll: item \(index) is a closed socket")
            }
            items[index].socket = raw
        }
        for index in items.indices { items[index].revents = 0 }
        guard !items.isEmpty else { return [] }
        let ready = items.withUnsafeMutableBufferPointer { buffer in
            zmq_poll(buffer.baseAddress, Int32(truncatingIfNeeded: buffer.count), timeoutMilliseconds)
        }
        guard ready >= 0 else {
            throw ZMQError.last("poll")
        }
        guard ready > 0 else { return [] }
        return items.indices.filter { items[$0].revents != 0 }
    }

    /// What the last `poll` found on the item at `index`; empty for out-of-range indices.
    public func events(at index: Int) -> PollEvents {
        guard items.indices.contains(index) else { return [] }
        return PollEvents(rawValue: items[index].revents)
    }

    /// Whether the last `poll` found the item at `index` readable.
    public func isReadable(_ index: Int) -> Bool {
        events(at: index).contains(.readable)
    }

    /// Whether the last `poll` found the item at `index` writable.
    public func isWritable(_ index: Int) -> Bool {
        events(at: index).contains(.writable)
    }
}
