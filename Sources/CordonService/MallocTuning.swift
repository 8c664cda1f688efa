#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h), which the Glibc module does not import.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Keeps freed memory in the process instead of handing it back to the kernel at once.
///
/// glibc gives the top of a heap back (`M_TRIM_THRESHOLD`, 128 KiB by default) as soon as that
/// much is free, and the next allocation faults the pages in again, each one zeroed by the
/// kernel. A service that receives, decodes and stores frames all day frees and allocates the
/// same few megabytes every millisecond: `perf` of `cordon bench` at 100 positions a frame
/// showed 5–7 % of both cores in `clear_page_erms` under page faults from the ZeroMQ I/O thread,
/// the engine and the writers. Keeping up to 64 MiB free per heap (and serving blocks up to
/// 16 MiB from the heaps, which also stops the threshold from moving) removes those faults for
/// a bounded amount of memory.
enum MallocTuning {
    /// Applied once per process, by the first service or replay to start.
    static let applied: Void = {
        #if canImport(Glibc)
        // malloc.h's M_TRIM_THRESHOLD (-1) and M_MMAP_THRESHOLD (-3).
        _ = mallopt(-1, 64 << 20)
        _ = mallopt(-3, 16 << 20)
        #endif
    }()
}
