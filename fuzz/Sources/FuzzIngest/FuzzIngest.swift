import FuzzSupport
import Foundation

// libFuzzer harness for ingest: the work is FuzzTargets.ingest (fuzz/Sources/FuzzSupport).
// CORDON_FUZZ_STORE=1 puts an in-memory store behind the pipeline, as serve has: slower.

private let withStore = ProcessInfo.processInfo.environment["CORDON_FUZZ_STORE"] == "1"

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.ingest(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size), store: withStore)
    return 0
}
