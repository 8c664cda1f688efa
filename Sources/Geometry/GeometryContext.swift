import CGEOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread GEOS state: a context from `GEOS_init_r` and the last error and notice
/// messages GEOS reported on it.
///
/// Lives in manually allocated memory reached through a pthread key, so fetching the
/// thread's handle is a `pthread_getspecific` and a load: no reference counting, no
/// allocation.
struct GEOSThreadState {
    let handle: GEOSContextHandle_t
    var lastError: String?
    var lastNotice: String?
}

/// One GEOS context per thread.
///
/// GEOS's re-entrant API wants a context per thread; a geometry is not tied to the context
/// that made it, so a `Shape` made on one thread may be queried or freed on another with that
/// thread's context. The context is created on the first GEOS call of a thread and finished
/// when the thread exits.
public enum GeometryContext {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { raw in
            guard let raw else { return }
            let state = raw.assumingMemoryBound(to: GEOSThreadState.self)
            GEOS_finish_r(state.pointee.handle)
            state.deinitialize(count: 1)
            state.deallocate()
        }
        precondition(rc == 0, "pthread_key_create failed: \(rc)")
        return key
    }()

    /// The calling thread's state, created on first use.
    @inline(__always)
    static var state: UnsafeMutablePointer<GEOSThreadState> {
        guard let s = makeStateIfNeeded() else { fatalError("GEOS_init_r failed: GEOS cannot allocate a context") }
        return s
    }

    /// The calling thread's GEOS context handle.
    ///
    /// Hot paths use this; whatever builds geometry from outside input (a site load or reload)
    /// calls ``checkedHandle()`` first, so a thread whose context GEOS cannot make fails there,
    /// with an error, and never here.
    @inline(__always)
    static var handle: GEOSContextHandle_t { state.pointee.handle }

    /// The calling thread's GEOS context handle, or an error when GEOS cannot make one.
    static func checkedHandle() throws(GeometryError) -> GEOSContextHandle_t {
        guard let s = makeStateIfNeeded() else { throw .geos("GEOS_init_r failed: GEOS cannot allocate a context (out of memory?)") }
        return s.pointee.handle
    }

    @inline(__always)
    private static func makeStateIfNeeded() -> UnsafeMutablePointer<GEOSThreadState>? {
        if let raw = pthread_getspecific(key) { return raw.assumingMemoryBound(to: GEOSThreadState.self) }
        return makeState()
    }

    @inline(never)
    private static func makeState() -> UnsafeMutablePointer<GEOSThreadState>? {
        guard let handle = GEOS_init_r() else { return nil }
        let state = UnsafeMutablePointer<GEOSThreadState>.allocate(capacity: 1)
        state.initialize(to: GEOSThreadState(handle: handle, lastError: nil, lastNotice: nil))
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata else { return }
            let state = userdata.assumingMemoryBound(to: GEOSThreadState.self)
            state.pointee.lastError = message.map { String(cString: $0) } ?? "unknown GEOS error"
        }, UnsafeMutableRawPointer(state))
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let userdata else { return }
            let state = userdata.assumingMemoryBound(to: GEOSThreadState.self)
            state.pointee.lastNotice = message.map { String(cString: $0) }
        }, UnsafeMutableRawPointer(state))
        pthread_setspecific(key, UnsafeRawPointer(state))
        return state
    }

    /// Forgets the calling thread's last error, before an operation whose failure is reported.
    static func clearError() {
        state.pointee.lastError = nil
    }

    /// The last error GEOS reported on the calling thread, if any.
    public static var lastError: String? { state.pointee.lastError }

    /// The last notice GEOS reported on the calling thread, if any.
    public static var lastNotice: String? { state.pointee.lastNotice }

    /// A `GeometryError.geos` carrying the calling thread's last GEOS error message.
    static func error(_ operation: String) -> GeometryError {
        .geos(lastError.map { "\(operation): \($0)" } ?? "\(operation) failed")
    }

    /// The GEOS library version, e.g. "3.11.1-CAPI-1.17.1".
    public static var geosVersion: String { String(cString: GEOSversion()) }
}
