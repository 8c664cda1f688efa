#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain OS thread running one closure, for blocking loops (such as `ZAPAuthenticator`'s)
/// that must not occupy a Swift concurrency thread. Avoids pulling Foundation into the module.
final class DetachedThread: @unchecked Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private var thread: pthread_t
    private var joined = false

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) throws {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<Body>.fromOpaque(argument).takeRetainedValue().run()
            return nil
        }, context)
        #if canImport(Darwin)
        guard result == 0, let thread else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw ZMQError(code: result, operation: "start thread")
        }
        #else
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw ZMQError(code: result, operation: "start thread")
        }
        #endif
        self.thread = thread
    }

    /// Waits for the closure to return. Call at most once, from one thread.
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
