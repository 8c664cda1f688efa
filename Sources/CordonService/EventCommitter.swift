import CordonCore
import CordonStore
import CordonWire
import Foundation
import Logging

/// Stores what the engine caused, then publishes it, on a thread of its own: the engine's
/// thread hands over a batch and goes on with the next frame instead of waiting for SQLite.
///
/// Batches are committed in the order handed over, and a batch's events are published only
/// once it is committed (what a subscriber has seen, the store has). Batches that queued while
/// a commit was under way share the next one, so under a flood a commit carries many frames.
///
/// When the store refuses a commit (disk full, database locked) the batch is held with
/// everything after it, nothing of them is published, and the commit is tried again every
/// ``retrySeconds``. Meanwhile ``mustWait`` is true, so `serve` reads no more ingest (senders
/// wait, nothing is lost), and changes are refused. The queue is bounded by ``maxQueued``
/// batches, past which ``mustWait`` holds the engine back too.
final class EventCommitter: @unchecked Sendable {
    /// What one `emit` had to say, taken over from the engine's thread.
    struct Batch {
        var encoded: [(topic: String, body: [UInt8])]
        var outputs: [Output]
        var passages: [GateRecord]
        /// The live-state changes that go with them, still to be encoded (Pipeline+Journal.swift).
        var journal: EngineJournal?
        /// The running muster's record (empty once none runs), when this batch announces muster events.
        var muster: Data?
        /// When the engine took up the first frame of the batch (monotonic seconds).
        var since: Double?

        init(encoded: [(topic: String, body: [UInt8])], outputs: [Output], passages: [GateRecord],
             journal: EngineJournal?, muster: Data? = nil, since: Double? = nil) {
            self.encoded = encoded
            self.outputs = outputs
            self.passages = passages
            self.journal = journal
            self.muster = muster
            self.since = since
        }
    }

    private let store: Store
    private let sink: any EventSink
    private let logger: Logger
    private let observe: (@Sendable (Double) -> Void)?
    private let condition = NSCondition()
    private var queue: [Batch] = []
    /// Events of the group being committed or retried, out of `queue`; nil when none is.
    private var inFlight: Int?
    private var closing = false
    private var finished = false
    private var failure: String?
    /// ``retryNow()`` asked for the held batch to be tried before the interval is up.
    private var retryRequested = false
    private var tally = Counters()

    /// Batches queued beyond which the engine waits.
    static let maxQueued = 256
    /// How often a refused commit is tried again.
    static let retrySeconds = 2.0

    init(store: Store, sink: any EventSink, logger: Logger, observe: (@Sendable (Double) -> Void)? = nil) {
        self.store = store
        self.sink = sink
        self.logger = logger
        self.observe = observe
        WorkerThread.start(name: "cordon-commit", urgency: .alarmPath) { [self] in run() }
    }

    /// Hands a batch over; it is stored, then published, in order.
    func submit(_ batch: Batch) {
        condition.lock()
        defer { condition.unlock() }
        queue.append(batch)
        // Broadcast: callers of `waitIdle()` wait on the same condition as the thread.
        if queue.count == 1 { condition.broadcast() }
    }

    /// True while the store refuses writes: events are held and changes refused.
    var isHolding: Bool { locked { failure != nil } }

    /// True while ingest must not be read: the store refuses writes, or too much is queued.
    var mustWait: Bool { locked { failure != nil || queue.count >= Self.maxQueued } }

    /// Why the store refuses writes, while it does.
    var storeFailure: String? { locked { failure } }

    /// Events handed over and not yet published.
    var heldEvents: Int { locked { queue.reduce(inFlight ?? 0) { $0 + $1.encoded.count } } }

    /// Blocks until everything handed over is stored and published, or the store refuses
    /// writes (then what is held stays held).
    func waitIdle() {
        condition.lock()
        while (!queue.isEmpty || inFlight != nil) && failure == nil && !finished { condition.wait() }
        condition.unlock()
    }

    /// Blocks while the queue is full, until half of it is written (or the store refuses writes).
    func waitForRoom() {
        condition.lock()
        while queue.count >= Self.maxQueued / 2, failure == nil, !finished { condition.wait() }
        condition.unlock()
    }

    /// Adds what this thread counted (published, dropped, refused commits) to `c`.
    func addTallies(to c: inout Counters) {
        Self.add(locked { tally }, to: &c)
    }

    /// What this thread counts (published, dropped, refused commits), added to `c`.
    private static func add(_ t: Counters, to c: inout Counters) {
        c.published += t.published
        for (k, v) in t.publishedByFamily { c.publishedByFamily[k, default: 0] += v }
        c.dropped += t.dropped
        c.storeFailures += t.storeFailures
    }

    /// Tries the held batch again now (after an operator freed space, say).
    func retryNow() {
        condition.lock()
        retryRequested = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stores and publishes what is queued, trying a refusing store once more, then stops the
    /// thread. Returns the events that could not be stored (and so were never published).
    @discardableResult
    func close() -> Int {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        let lost = queue.reduce(inFlight ?? 0) { $0 + $1.encoded.count }
        condition.unlock()
        return lost
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    // MARK: the thread

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            guard !queue.isEmpty else { return stop() }
            // Everything queued goes into one transaction: behind a slow commit the next one
            // takes all that piled up, so the disk never falls further behind than one commit.
            let group = Array(queue.prefix(Self.maxGroup))
            queue.removeFirst(group.count)
            inFlight = group.reduce(0) { $0 + $1.encoded.count }
            condition.unlock()
            while true {
                do {
                    try commit(group)
                    break
                } catch {
                    condition.lock()
                    if failure == nil {
                        let held = queue.reduce(inFlight ?? 0) { $0 + $1.encoded.count }
                        logger.critical("the store refuses writes, holding \(held) event(s) unpublished and reading no ingest until it takes them again: \(error)")
                    }
                    failure = "\(error)"
                    tally.storeFailures += 1
                    condition.broadcast()
                    if closing {
                        // Tried once more at the stop: what is left is reported by `close()`.
                        return stop()
                    }
                    let deadline = Date().addingTimeInterval(Self.retrySeconds)
                    retryRequested = false
                    while !retryRequested && !closing && Date() < deadline { _ = condition.wait(until: deadline) }
                    condition.unlock()
                }
            }
            var counted = Counters()
            for batch in group {
                for e in batch.encoded {
                    if sink.publish(topic: e.topic, body: e.body) { counted.countPublished(topic: e.topic) } else { counted.dropped += 1 }
                }
                if let since = batch.since, let observe, !batch.encoded.isEmpty { observe(WallClock.monotonic() - since) }
            }
            condition.lock()
            Self.add(counted, to: &tally)
            if failure != nil {
                logger.notice("the store takes writes again: held events published, ingest resumed")
                failure = nil
            }
            inFlight = nil
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Batches committed together at most.
    static let maxGroup = 64


    /// Called with the lock held; leaves it released.
    private func stop() {
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func commit(_ group: [Batch]) throws {
        // A muster accounting is kept before it is announced: a restart resumes the roll-call.
        if let muster = group.last(where: { $0.muster != nil })?.muster {
            try store.saveState(key: Pipeline.musterKey, data: muster)
        }
        var violations: [(violation: Violation, body: String)] = []
        var passages: [(record: GateRecord, body: String)] = []
        var lives: [LiveState] = []
        for batch in group {
            for (o, e) in zip(batch.outputs, batch.encoded) {
                if case .violation(let v) = o { violations.append((v, String(decoding: e.body, as: UTF8.self))) }
            }
            for p in batch.passages { passages.append((p, JSONText.encode(p.body))) }
            if let live = Self.live(batch.journal, logger: logger) { lives.append(live) }
        }
        try store.record(violations, gate: passages, lives: lives)
    }

    /// The rows a commit must carry for `journal`; nil when nothing lasting changed. A row that
    /// cannot be encoded is logged and left out: the events still go out.
    static func live(_ journal: EngineJournal?, logger: Logger) -> LiveState? {
        guard let j = journal, !j.changed.isEmpty || j.globals != nil else { return nil }
        do {
            return LiveState(sequence: j.sequence, subjects: SnapshotCodec.rows(j.changed),
                             globals: try j.globals.map(SnapshotCodec.encode))
        } catch {
            logger.error("could not encode the live state: \(error)")
            return nil
        }
    }
}
