import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts the service's own threads with a name `top -H` and `perf` show, and, for work that
/// can wait, a lower scheduling priority.
///
/// On a machine with few cores the engine's thread shares them with the store's writers. The
/// track history, the live-state journal and the checkpoints can fall a second behind without
/// harm; the engine and the alarm path cannot. A writer woken with the default priority takes
/// the core from the engine mid-frame, so they run niced and the kernel lets the engine finish.
public enum WorkerThread {
    /// How urgent a thread's work is.
    public enum Urgency: Sendable {
        /// On the path of an alarm (the commit before a violation is published).
        case alarmPath
        /// Bookkeeping that may lag: track history, journal, checkpoints, retention.
        case background

        var nice: Int32 {
            switch self {
            case .alarmPath: 0
            case .background: 10
            }
        }
    }

    /// Starts `body` on a new thread named `name` (at most 15 bytes are shown).
    public static func start(name: String, urgency: Urgency, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if canImport(Glibc)
            Self.nameAndNice(name: name, nice: urgency.nice)
            #endif
            body()
        }
        thread.name = name
        thread.start()
    }

    #if canImport(Glibc)
    // Glibc declares these only under _GNU_SOURCE, which Swift's Glibc module is not built
    // with; the symbols are there, so they are looked up once by name.
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private typealias GetTID = @convention(c) () -> pid_t
    private static let setName: SetName? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np").map { unsafeBitCast($0, to: SetName.self) }
    private static let getTID: GetTID? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gettid").map { unsafeBitCast($0, to: GetTID.self) }

    private static func nameAndNice(name: String, nice: Int32) {
        if let setName { _ = setName(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self)) }
        // Linux applies a nice value to one thread when given its thread id; failing (a
        // container that forbids it) only leaves the default priority.
        if nice != 0, let getTID { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getTID()), nice) }
    }
    #endif
}
