import CordonCore
import CordonService
import CordonWire

extension FuzzTargets {
    private static let reads: [[UInt8]] = [
        #"{"op":"headcount"}"#, #"{"op":"presence"}"#, #"{"op":"alarms.active"}"#,
        #"{"op":"whereis","person":"P0042"}"#, #"{"op":"whereis","plate":"鲁B12345"}"#, #"{"op":"ping"}"#,
    ].map { Array($0.utf8) }

    /// One input of the ingest harness (docs/fuzzing.md): the decoder on the whole input as one
    /// frame, then every line as one ingest frame through `Pipeline.ingest(frame:receivedAt:)` into
    /// a fresh engine on the scenario park, with serve's future-skew guard and the wall clock moving
    /// a second per frame; then two hours of timers, and the reads a control room would make.
    /// Traps on what a fuzzer must report.
    ///
    /// - Parameter store: an in-memory store behind the pipeline (track history, stored
    ///   violations), as serve has; several times slower.
    public static func ingest(_ input: UnsafeRawBufferPointer, store: Bool) {
        // The decoder alone, in serve's form and in replay's (control lines allowed).
        for allowControl in [false, true] {
            IngestDecoder(allowControl: allowControl).decode(input) { item in
                if case .rejected(_, let raw) = item {
                    // The dead-letter log copies this range out of the frame.
                    precondition(raw.lowerBound >= 0 && raw.upperBound <= input.count,
                                 "raw range \(raw) outside a frame of \(input.count) bytes")
                }
            }
        }

        // The full path, as serve runs it.
        let p = FuzzWorld.pipeline(store: store, warm: true)
        p.maxFutureSkewS = 300
        var clock = FuzzWorld.start
        for frame in FuzzWorld.records(input) {
            clock = clock.adding(seconds: 1)
            p.ingest(frame: frame, receivedAt: clock)
        }
        p.tick(to: clock.adding(seconds: 7200))
        for r in reads { _ = p.control(bytes: r, at: p.engine.now) }
        if store { p.close() }
    }
}
