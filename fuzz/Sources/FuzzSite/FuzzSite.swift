import FuzzSupport

// libFuzzer harness for the site loader: the work is FuzzTargets.site (fuzz/Sources/FuzzSupport).

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSite(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.site(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
