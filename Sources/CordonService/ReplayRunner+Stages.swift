import CordonCore
import CordonWire

/// `cordon replay` on three threads: the input read and decoded on the caller's, the engine on
/// one of its own, the output encoded and written on a third (docs/performance.md, "Replay on
/// three threads"). The engine sees the same messages in the same order and the output is the
/// same bytes as ``ReplayRunner/run(lines:tailSeconds:)`` gives on one thread; the digest test
/// holds the two to that.
extension ReplayRunner {
    /// Lines decoded on the reading thread, handed to the engine's in batches.
    struct DecodedLines: Sendable {
        enum Item: Sendable {
            case message(IngestMessage)
            case control(time: Instant, request: Value)
            case rejected(RejectReason, raw: [UInt8])
        }

        var items: [Item] = []
        /// Where each non-blank line's items end in ``items``.
        var ends: [Int] = []
    }

    /// Lines a batch holds: enough that the hand-off's lock is rare, few enough that the engine
    /// starts at once.
    static let linesPerBatch = 256

    /// ``runStaged(lines:tailSeconds:)`` over lines in memory.
    public func runStaged(input: some Sequence<[UInt8]>, tailSeconds: Double) -> Summary {
        runStaged(lines: { each in for line in input { line.withUnsafeBytes(each) } }, tailSeconds: tailSeconds)
    }

    /// Runs over input lent line by line in place, as ``run(lines:tailSeconds:)`` does, with the
    /// decoding and the writing on other threads than the engine's.
    public func runStaged(lines: ((UnsafeRawBufferPointer) -> Void) -> Void, tailSeconds: Double) -> Summary {
        let decoder = pipeline.decoder
        let input = Handoff<DecodedLines>(capacity: 8)
        let output = OutputStage(sink: sink)
        pipeline.outputStage = output
        let me = UncheckedSendable(self)
        let engineThread = JoinableThread(name: "cordon-engine") {
            me.value.consume(input, output: output, tailSeconds: tailSeconds)
        }
        var s = Summary()
        var batch = DecodedLines()
        lines { line in
            s.lines += 1
            guard line.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { return }
            decoder.decode(line) { item in
                switch item {
                case .message(let m): batch.items.append(.message(m))
                case .control(let t, let request): batch.items.append(.control(time: t, request: request))
                case .rejected(let reason, let range): batch.items.append(.rejected(reason, raw: Array(line[range])))
                }
            }
            batch.ends.append(batch.items.count)
            if batch.ends.count >= Self.linesPerBatch {
                input.put(batch)
                batch = DecodedLines()
                batch.items.reserveCapacity(Self.linesPerBatch)
            }
        }
        if !batch.ends.isEmpty { input.put(batch) }
        input.close()
        engineThread.join()
        output.finish()
        pipeline.outputStage = nil
        pipeline.tally.addPublishing(output.tally)
        s.counters = pipeline.counters
        s.lastTime = pipeline.engine.now
        return s
    }

    /// The engine's thread: each line as ``feed(frame:)`` takes it, then the tail.
    private func consume(_ input: Handoff<DecodedLines>, output: OutputStage, tailSeconds: Double) {
        while let batch = input.take() {
            var start = 0
            for end in batch.ends {
                let receivedAt = pipeline.engine.now
                var replies: [[UInt8]] = []
                for item in batch.items[start..<end] {
                    switch item {
                    case .message(let m):
                        pipeline.handle(m, frame: nil, receivedAt: receivedAt)
                    case .control(let t, let request):
                        pipeline.flushPending()
                        replies.append(pipeline.control(request, at: t))
                    case .rejected(let reason, let raw):
                        pipeline.reject(reason, raw: raw, receivedAt: receivedAt)
                    }
                }
                pipeline.flushPending()
                for r in replies { output.add(line: ReplayOutput.replyBytes(r)) }
                start = end
            }
            output.send()
        }
        finish(tailSeconds: tailSeconds)
        output.send()
    }
}

/// A value handed to a thread whose use of it is ordered by a hand-off or a join, which the
/// compiler cannot see.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
