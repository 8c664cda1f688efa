import FuzzSupport

// libFuzzer harness for the control layer: the work, and the input's line format, are in
// FuzzTargets.control (fuzz/Sources/FuzzSupport/ControlTarget.swift).

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControl(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.control(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
