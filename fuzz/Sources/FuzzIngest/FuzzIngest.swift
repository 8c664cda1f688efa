import CordonCore
import CordonService
import CordonWire
import FuzzSupport
import Foundation

// libFuzzer harness for ingest (docs/fuzzing.md): the decoder on the whole input as one frame,
// then every line of the input as one ingest frame through `Pipeline.ingest(frame:receivedAt:)`
// into a fresh engine on the scenario park, with serve's future-skew guard and the wall clock
// moving a second per frame; then two hours of timers, and the reads a control room would make.
// `CORDON_FUZZ_STORE=1` adds an in-memory store (track history, stored violations): slower.

private let withStore = ProcessInfo.processInfo.environment["CORDON_FUZZ_STORE"] == "1"
private let reads: [[UInt8]] = [
    #"{"op":"headcount"}"#, #"{"op":"presence"}"#, #"{"op":"alarms.active"}"#,
    #"{"op":"whereis","person":"P0042"}"#, #"{"op":"whereis","plate":"鲁B12345"}"#, #"{"op":"ping"}"#,
].map { Array($0.utf8) }

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)

    // The decoder alone, in serve's form and in replay's (control lines allowed).
    for allowControl in [false, true] {
        IngestDecoder(allowControl: allowControl).decode(input) { item in
            if case .rejected(_, let raw) = item {
                // The dead-letter log copies this range out of the frame.
                precondition(raw.lowerBound >= 0 && raw.upperBound <= input.count, "raw range \(raw) outside a frame of \(input.count) bytes")
            }
        }
    }

    // The full path, as serve runs it.
    let p = FuzzWorld.pipeline(store: withStore, warm: true)
    p.maxFutureSkewS = 300
    var clock = FuzzWorld.start
    for frame in FuzzWorld.records(input) {
        clock = clock.adding(seconds: 1)
        p.ingest(frame: frame, receivedAt: clock)
    }
    p.tick(to: clock.adding(seconds: 7200))
    for r in reads { _ = p.control(bytes: r, at: p.engine.now) }
    if withStore { p.close() }
    return 0
}
