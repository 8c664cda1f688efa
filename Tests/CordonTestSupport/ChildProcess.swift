import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process for the tests (the `cordon` binary, a Python receiver, Chromium, `mount`),
/// started with `posix_spawn` and waited for with `waitpid`, every wait with a deadline.
///
/// Why not Foundation's `Process`: on Linux it learns that a child ended through a socket pair
/// the child holds the other end of, and its pipes are inheritable. The tests run side by side,
/// so a child one test starts can inherit another test's ends; that child's exit, or the end of
/// its output, then never arrives while the other lives, and `waitUntilExit` or
/// `readDataToEndOfFile` waits with no deadline. A CI run hung for its whole budget with no word
/// of what it waited for. Here a child gets exactly its three standard streams (everything else
/// is closed in it at spawn, atomically), our pipe ends are close-on-exec, signals start at their
/// defaults and unblocked (the runner's threads may block SIGTERM), and nothing waits forever.
public final class ChildProcess: @unchecked Sendable {
    /// Where a standard stream of the child goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, created if absent; appended to or truncated.
        case file(String, append: Bool = false)
        /// A pipe whose other end this object reads (stdout, stderr) or writes (stdin).
        case pipe
        /// The test process's own.
        case inherit
    }

    /// How a child ended.
    public enum Status: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or the number of the signal that ended it (as `Process` reports).
        public var code: Int32 {
            switch self {
            case .exited(let c), .signalled(let c): c
            }
        }

        public var description: String {
            switch self {
            case .exited(let c): "exit status \(c)"
            case .signalled(let s): "signal \(s)"
            }
        }
    }

    /// A child that did not finish in time: it has been killed.
    public struct TimedOut: Error, CustomStringConvertible {
        public let command: String
        public let seconds: Double
        public let output: String
        public var description: String { "\(command) did not finish within \(seconds) s (killed); it printed: \(output.suffix(2000))" }
    }

    /// A spawn that failed before the child ran.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public let command: String
        public let reason: String
        public var description: String { "cannot start \(command): \(reason)" }
    }

    /// What a finished child printed, and how it ended.
    public struct Finished: Sendable {
        public let status: Status
        public let output: Data
        public let errors: Data
        public var text: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    public let pid: pid_t
    public let command: String
    private let lock = NSLock()
    private var ended: Status?
    private var stdinFD: Int32 = -1
    private var stdoutFD: Int32 = -1
    private var stderrFD: Int32 = -1

    /// Starts `executable` with `arguments`. The child leads a process group of its own, so
    /// that `kill()` reaches whatever it starts (Chromium's helpers).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null) throws {
        command = ([executable] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        var parentEnds: [Int32: Int32] = [:]
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherit:
                continue
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path, let append):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard cspawn_pipe_cloexec(&ends) == 0 else { throw SpawnFailed(command: command, reason: String(cString: strerror(errno))) }
                let (mine, theirs) = target == 0 ? (ends[1], ends[0]) : (ends[0], ends[1])
                childEnds.append(theirs)
                parentEnds[target] = mine
                // dup2 clears close-on-exec on the child's copy.
                posix_spawn_file_actions_adddup2(&actions, theirs, target)
            }
        }
        // Everything else the test process has open stays out of the child.
        cspawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0)=\($1)" }
        var child: pid_t = 0
        let result = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(env) { envp in
                posix_spawn(&child, executable, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else {
            for fd in parentEnds.values { close(fd) }
            throw SpawnFailed(command: command, reason: String(cString: strerror(result)))
        }
        pid = child
        stdinFD = parentEnds[0] ?? -1
        stdoutFD = parentEnds[1] ?? -1
        stderrFD = parentEnds[2] ?? -1
    }

    deinit {
        if ended == nil {
            Glibc.kill(-pid, SIGKILL)
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
    }

    /// Runs a command to its end with its output collected: killed, and `TimedOut` thrown, if
    /// it is not done within `seconds`.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil, within seconds: Double = 120) throws -> Finished {
        let child = try ChildProcess(executable, arguments, environment: environment,
                                     stdin: input == nil ? .null : .pipe, stdout: .pipe, stderr: .pipe)
        return try child.collect(input: input ?? Data(), within: seconds)
    }

    /// Whether it is still running (reaps it if it has ended).
    public var isRunning: Bool { status == nil }

    /// How it ended, or nil while it runs.
    public var status: Status? {
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var raw: Int32 = 0
        let r = waitpid(pid, &raw, WNOHANG)
        guard r == pid else { return nil }
        ended = Self.decode(raw)
        return ended
    }

    /// Waits up to `seconds` for it to end on its own: how it ended, or nil if it still runs.
    public func wait(within seconds: Double) -> Status? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let s = status { return s }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        Glibc.kill(pid, signal)
    }

    /// SIGKILL to the child and its process group, and waits for it: gone at once, as a server
    /// whose machine dies is.
    @discardableResult
    public func kill() -> Status {
        if let s = status { return s }
        Glibc.kill(-pid, SIGKILL)
        Glibc.kill(pid, SIGKILL)
        // SIGKILL cannot be caught or blocked: this wait is short.
        return wait(within: 30) ?? .signalled(SIGKILL)
    }

    /// Sends `signal`, waits up to `seconds`, then kills: how it ended and whether it ended on its own.
    public func stop(_ signal: Int32 = SIGTERM, within seconds: Double) -> (status: Status, inTime: Bool) {
        self.signal(signal)
        if let s = wait(within: seconds) { return (s, true) }
        return (kill(), false)
    }

    /// The read end of its standard output, when that is a pipe.
    public var outputDescriptor: Int32 { stdoutFD }

    /// Reads its standard output until it has a newline (or ends), up to `seconds`: what the
    /// receivers print first (their ports).
    public func firstLine(within seconds: Double) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !data.contains(UInt8(ascii: "\n")) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw TimedOut(command: command, seconds: seconds, output: String(decoding: data, as: UTF8.self)) }
            var p = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(min(left, 1) * 1000) + 1) > 0 else { continue }
            let n = read(stdoutFD, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `input` to its standard input (then closes it), reads both its outputs to their
    /// end and waits for it; all within `seconds`, or the child is killed and `TimedOut` thrown.
    public func collect(input: Data = Data(), within seconds: Double) throws -> Finished {
        let deadline = Date().addingTimeInterval(seconds)
        var out = Data(), err = Data()
        var pending = [UInt8](input)
        var written = 0
        if stdinFD >= 0 && pending.isEmpty { close(stdinFD); stdinFD = -1 }
        if stdinFD >= 0 { _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while stdoutFD >= 0 || stderrFD >= 0 || stdinFD >= 0 {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                kill()
                throw TimedOut(command: command, seconds: seconds, output: String(decoding: out + err, as: UTF8.self))
            }
            var fds: [pollfd] = []
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            for p in fds where p.revents != 0 {
                if p.fd == stdinFD {
                    let n = pending[written...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EAGAIN && errno != EINTR || written == pending.count {
                        close(stdinFD)
                        stdinFD = -1
                        pending = []
                    }
                    continue
                }
                let n = read(p.fd, &buffer, buffer.count)
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if n <= 0 {
                    close(p.fd)
                    if p.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                    continue
                }
                if p.fd == stdoutFD { out.append(contentsOf: buffer[0..<n]) } else { err.append(contentsOf: buffer[0..<n]) }
            }
        }
        guard let status = wait(within: max(0, deadline.timeIntervalSinceNow)) else {
            kill()
            throw TimedOut(command: command, seconds: seconds, output: String(decoding: out + err, as: UTF8.self))
        }
        return Finished(status: status, output: out, errors: err)
    }

    private static func decode(_ raw: Int32) -> Status {
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
