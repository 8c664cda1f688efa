import CordonCore
import CordonWire

/// Replay's last stage: what the engine caused, written out as event lines on a thread of its
/// own, in the order the engine caused it. The engine's thread hands over typed outputs and
/// goes on; encoding them (a fifth of a replay's work) happens here (docs/performance.md).
final class OutputStage: @unchecked Sendable {
    /// One thing to write, in order.
    enum Entry: Sendable {
        /// Outputs to encode and publish, with the site id they carry.
        case events([Output], site: String)
        /// A line already made (a control request's reply).
        case line([UInt8])
    }

    private let handoff = Handoff<[Entry]>(capacity: 16)
    /// Filled on the engine's thread between two ``send()``s.
    private var pending: [Entry] = []
    /// What the output thread counted (published); read after ``finish()``.
    private(set) var tally = Counters()
    private var thread: JoinableThread?

    init(sink: LineSink) {
        thread = JoinableThread(name: "cordon-output") { [self] in
            while let batch = handoff.take() {
                for entry in batch {
                    switch entry {
                    case .events(let outputs, let site):
                        for o in outputs {
                            let e = EventEncoder.encode(o, site: site)
                            if sink.publish(topic: e.topic, body: e.body) { tally.countPublished(topic: e.topic) } else { tally.dropped += 1 }
                        }
                    case .line(let bytes):
                        sink.write(bytes)
                    }
                }
            }
        }
    }

    /// Engine's thread: outputs to write after everything handed over before them.
    func add(_ outputs: [Output], site: String) {
        pending.append(.events(outputs, site: site))
    }

    /// Engine's thread: a line to write after everything handed over before it.
    func add(line: [UInt8]) {
        pending.append(.line(line))
    }

    /// Engine's thread: hands what was added over to the output thread (waiting while it is
    /// far behind, so that memory stays bounded).
    func send() {
        guard !pending.isEmpty else { return }
        handoff.put(pending)
        pending = []
    }

    /// Hands over the rest and waits until everything is written.
    func finish() {
        send()
        handoff.close()
        thread?.join()
        thread = nil
    }
}
