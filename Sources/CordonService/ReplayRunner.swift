import CordonCore
import CordonWire
import Foundation

/// `cordon replay`: the same pipeline as `serve`, fed from a file, with the events' own time
/// as the clock (docs/protocol.md, "Replay"). Every published event becomes an output line, every
/// control reply a `{"reply":…}` line, in the order the service would produce them.
public final class ReplayRunner {
    /// What a replay read.
    public struct Summary: Sendable {
        public var lines = 0
        public var counters = Counters()
        public var lastTime: Instant?
    }

    let pipeline: Pipeline
    let sink: LineSink

    /// - Parameter write: receives each output line (without the newline).
    public convenience init(site: Site, sitePath: String?, registry: Registry?, write: @escaping (String) -> Void) {
        self.init(site: site, sitePath: sitePath, registry: registry, writeBytes: { write(String(decoding: $0, as: UTF8.self)) })
    }

    /// - Parameter writeBytes: receives each output line as UTF-8 (without the newline): what
    ///   `cordon replay` prints, with no `String` made of it on the way.
    public init(site: Site, sitePath: String?, registry: Registry?, writeBytes: @escaping ([UInt8]) -> Void) {
        MallocTuning.applied
        let engine = Engine(site: site, registry: Registry())
        if let registry {
            engine.applyRegistry(people: registry.people.values.sorted { $0.id < $1.id },
                                 vehicles: registry.vehicles.values.sorted { $0.plate < $1.plate }, at: engine.now)
            engine.applyReferences(registry.references.values.sorted { $0.id < $1.id }, at: engine.now)
        }
        sink = LineSink(write: writeBytes)
        pipeline = Pipeline(engine: engine, store: nil, sink: sink, sitePath: sitePath, allowControlLines: true)
    }

    public var engine: Engine { pipeline.engine }

    /// Feeds one input line.
    public func feed(line: some Collection<UInt8>) {
        if let done = line.withContiguousStorageIfAvailable({ feed(frame: UnsafeRawBufferPointer($0)) }) { return done }
        Array(line).withUnsafeBytes { feed(frame: $0) }
    }

    /// Feeds one input line, read in place.
    public func feed(frame: UnsafeRawBufferPointer) {
        guard frame.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { return }
        let replies = pipeline.ingest(frame: frame, receivedAt: pipeline.engine.now)
        for r in replies { sink.write(ReplayOutput.replyBytes(r)) }
    }

    /// Runs over a whole input, then advances the clock `tail` seconds past the last event.
    public func run(input: some Sequence<[UInt8]>, tailSeconds: Double) -> Summary {
        run(lines: { each in for line in input { line.withUnsafeBytes(each) } }, tailSeconds: tailSeconds)
    }

    /// Runs over input lent line by line in place (`lines` calls its argument with each line,
    /// valid during that call only), then advances the clock `tail` seconds past the last event.
    public func run(lines: ((UnsafeRawBufferPointer) -> Void) -> Void, tailSeconds: Double) -> Summary {
        var s = Summary()
        lines { line in
            s.lines += 1
            feed(frame: line)
        }
        finish(tailSeconds: tailSeconds)
        s.counters = pipeline.counters
        s.lastTime = pipeline.engine.now
        return s
    }

    /// Moves the clock to `t` (when later), firing what falls due, as `serve`'s tick does.
    public func advance(to t: Instant) { pipeline.tick(to: t) }

    /// Lets timers that fall due after the last input fire.
    public func finish(tailSeconds: Double) {
        if tailSeconds > 0 { pipeline.tick(to: pipeline.engine.now.adding(seconds: tailSeconds)) }
    }

    public var counters: Counters { pipeline.counters }
}

/// Writes events as replay output lines. Used by one thread at a time: the engine's, or in a
/// staged run the output thread's (``OutputStage``) while the engine's only hands over.
final class LineSink: EventSink, @unchecked Sendable {
    let write: ([UInt8]) -> Void

    init(write: @escaping ([UInt8]) -> Void) {
        self.write = write
    }

    func publish(topic: String, body: [UInt8]) -> Bool {
        write(ReplayOutput.eventBytes(topic: topic, body: body))
        return true
    }
}
