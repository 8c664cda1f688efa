import CordonCore
#if canImport(Glibc)
import Glibc
#endif

/// The service clock of `serve`: the only place the wall clock is read. `replay` never uses it.
public enum WallClock {
    public static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// Seconds on a monotonic clock, for measuring intervals (uptime, tick spacing).
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
