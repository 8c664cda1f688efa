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
/// Never blind (docs/protocol.md, "When the store cannot write"): when the store refuses a
/// commit (disk full, read-only, locked), the group's events are published at once marked
/// `"stored": false`, and what it would have written is held in memory (``StoreWrites``,
/// merged); so is every later group, published the same way as it comes. Every
/// ``retrySeconds`` all that is held is tried again in one transaction
/// with the newest group; once it goes in, the store is caught up with its original times and
/// publishing is back to stored-first. Ingest is never held back for the store; the queue is
/// bounded by ``maxQueued`` batches only so that a slow disk (not a failing one) paces the engine.
final class EventCommitter: @unchecked Sendable {
    /// What one `emit` had to say, taken over from the engine's thread.
    struct Batch {
        var encoded: [(topic: String, body: [UInt8])]
        var outputs: [Output]
        /// Gate passages with the body their decision was published with (stored as is).
        var passages: [(record: GateRecord, body: [UInt8])]
        /// The live-state changes that go with them, still to be encoded (Pipeline+Journal.swift).
        var journal: EngineJournal?
        /// The running muster's record (empty once none runs), when this batch announces muster events.
        var muster: Data?
        /// When the engine took up the first frame of the batch (monotonic seconds).
        var since: Double?
        /// Audit entries the store refused when they were made, to be kept with this batch.
        var audits: [AuditEntry]
        /// Control changes the store refused when they were made, written after this batch's record.
        var deferred: [DeferredWrite]
        /// When it was handed over (monotonic seconds; set by ``EventCommitter/submit(_:)``).
        var queuedAt = 0.0

        /// Nothing in it is published, answered or announced: only live-state rows, which may
        /// wait a moment for the next commit (``EventCommitter/quietDelay``).
        var isQuiet: Bool { encoded.isEmpty && passages.isEmpty && muster == nil && audits.isEmpty && deferred.isEmpty }

        init(encoded: [(topic: String, body: [UInt8])], outputs: [Output], passages: [(record: GateRecord, body: [UInt8])],
             journal: EngineJournal?, muster: Data? = nil, since: Double? = nil, audits: [AuditEntry] = [],
             deferred: [DeferredWrite] = []) {
            self.encoded = encoded
            self.outputs = outputs
            self.passages = passages
            self.journal = journal
            self.muster = muster
            self.since = since
            self.audits = audits
            self.deferred = deferred
        }
    }

    private let store: Store
    private let sink: any EventSink
    private let logger: Logger
    private let observe: (@Sendable (Double) -> Void)?
    private let condition = NSCondition()
    private var queue: [Batch] = []
    /// Events of the group being committed, out of `queue`; nil when none is.
    private var inFlight: Int?
    /// Callers of `waitIdle()` waiting now: quiet batches do not wait for company then.
    private var idleWaiters = 0
    private var closing = false
    private var finished = false
    /// The store's error while it refuses writes.
    private var failure: String?
    /// What the store refused, already published, waiting to be written (this thread's; the
    /// counts below are what other threads read).
    private var held = StoreWrites()
    private var heldCount = 0
    private var heldSize = 0
    /// When the held writes are next tried (monotonic seconds).
    private var nextRetry = 0.0
    private var tally = Counters()
    /// The live state's globals as JSON, re-encoding only what changed (this thread's).
    private let globalsEncoder = GlobalsEncoder()

    /// Batches queued beyond which the engine waits.
    static let maxQueued = 256
    /// How often a refused commit is tried again.
    static let retrySeconds = 2.0
    /// Batches committed together at most.
    static let maxGroup = 64
    /// How long batches that publish nothing (a frame whose only effect is live-state rows: a
    /// zone entered, a stillness begun) may wait for company before they are committed alone.
    /// Each commit writes whole pages to the write-ahead log and pays a transaction; in a
    /// 100-per-frame bench about a third of the commits were such frames, on a real park most
    /// are. Anything that publishes commits at once, with the quiet batches queued before it;
    /// `waitIdle()` and `close()` do not wait either.
    static let quietDelay = 0.02

    /// Makes the outbox messages of each commit's alarms; nil without forwarding.
    private let forward: ForwardMessages?
    /// Told after a commit that put messages in the outbox.
    private let outboxFilled: (@Sendable () -> Void)?

    init(store: Store, sink: any EventSink, logger: Logger, observe: (@Sendable (Double) -> Void)? = nil,
         forward: ForwardMessages? = nil, outboxFilled: (@Sendable () -> Void)? = nil) {
        self.forward = forward
        self.outboxFilled = outboxFilled
        self.store = store
        self.sink = sink
        self.logger = logger
        self.observe = observe
        WorkerThread.start(name: "cordon-commit", urgency: .alarmPath) { [self] in run() }
    }

    /// Hands a batch over; it is stored, then published, in order (or, while the store
    /// refuses writes, published marked not stored and held).
    func submit(_ batch: Batch) {
        var batch = batch
        batch.queuedAt = WallClock.monotonic()
        condition.lock()
        defer { condition.unlock() }
        queue.append(batch)
        // Broadcast: callers of `waitIdle()` wait on the same condition as the thread, which may
        // be letting quiet batches wait (then it must hear of one that cannot, or of a full group).
        if queue.count == 1 || !batch.isQuiet || queue.count == Self.maxGroup { condition.broadcast() }
    }

    /// True while the store refuses writes: events go out marked not stored, and are held.
    var isHolding: Bool { locked { failure != nil } }

    /// True while the queue is full (a slow disk): the engine waits for room.
    var mustWait: Bool { locked { queue.count >= Self.maxQueued && failure == nil } }

    /// Why the store refuses writes, while it does.
    var storeFailure: String? { locked { failure } }

    /// The store's trouble as the `store-failing` rule takes it; nil while it writes.
    var trouble: StoreTrouble? {
        locked { failure.map { StoreTrouble(error: $0, heldEvents: heldCount + (inFlight ?? 0), heldBytes: heldSize) } }
    }

    /// Events handed over and not yet stored (published or not).
    var heldEvents: Int { locked { queue.reduce(heldCount + (inFlight ?? 0)) { $0 + $1.encoded.count } } }

    /// Roughly the memory held for a refusing store, in bytes.
    var heldBytes: Int { locked { heldSize } }

    /// Blocks until everything handed over is stored and published, or published and held
    /// while the store refuses writes.
    func waitIdle() {
        condition.lock()
        idleWaiters += 1
        condition.broadcast()
        while (!queue.isEmpty || inFlight != nil) && !finished { condition.wait() }
        idleWaiters -= 1
        condition.unlock()
    }

    /// Blocks while the queue is full, until half of it is written.
    func waitForRoom() {
        condition.lock()
        while queue.count >= Self.maxQueued / 2, !finished { condition.wait() }
        condition.unlock()
    }

    /// Adds what this thread counted (published, dropped, refused commits) to `c`.
    func addTallies(to c: inout Counters) {
        c.addPublishing(locked { tally })
    }

    /// Stores and publishes what is queued, trying a refusing store once more, then stops the
    /// thread. Returns the events that could not be stored (published, unless the store
    /// refused them at the very end, and lost to the record).
    @discardableResult
    func close() -> Int {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        let lost = queue.reduce(heldCount + (inFlight ?? 0)) { $0 + $1.encoded.count }
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
            while queue.isEmpty && !closing && !(failure != nil && WallClock.monotonic() >= nextRetry) {
                if failure != nil {
                    _ = condition.wait(until: Date().addingTimeInterval(max(0.001, nextRetry - WallClock.monotonic())))
                } else {
                    condition.wait()
                }
            }
            if queue.isEmpty && closing && failure == nil { return stop() }
            // Only live-state rows queued: give them a moment to share a commit with what follows.
            if failure == nil, !closing, idleWaiters == 0, queue.count < Self.maxGroup, queue.allSatisfy(\.isQuiet),
               let oldest = queue.first?.queuedAt, WallClock.monotonic() < oldest + Self.quietDelay
            {
                _ = condition.wait(until: Date().addingTimeInterval(max(0.0005, oldest + Self.quietDelay - WallClock.monotonic())))
                condition.unlock()
                continue
            }
            // Everything queued goes into one transaction: behind a slow commit the next one
            // takes all that piled up, so the disk never falls further behind than one commit.
            let group = Array(queue.prefix(Self.maxGroup))
            queue.removeFirst(group.count)
            inFlight = group.reduce(0) { $0 + $1.encoded.count }
            let tryStore = failure == nil || closing || WallClock.monotonic() >= nextRetry
            let wasFailing = failure != nil
            condition.unlock()

            var fresh = StoreWrites(group, globals: globalsEncoder, logger: logger, forward: forward)
            let forwards = !fresh.outbox.isEmpty || !held.outbox.isEmpty
            var refused: StoreError?
            if !wasFailing {
                do {
                    try fresh.commit(to: store)
                } catch {
                    refused = error
                }
            }
            // The events' record went in (a deferred control change after it may not have).
            let stored = !wasFailing && fresh.isRecorded
            // A new refusal is known (ping, store-failing) before its events go out marked: whoever
            // sees a "stored": false event and asks finds the store failing.
            if let refused, !wasFailing { noteRefusal(refused) }
            // While the store refuses, a group goes out first and the retry comes after: a
            // retry that waits on a lock never holds an alarm back.
            publish(group, stored: stored)
            var recovered = false
            var heldBefore = 0
            if wasFailing || refused != nil {
                held.append(fresh)
                heldBefore = held.events
                if wasFailing && tryStore {
                    do {
                        try held.commit(to: store)
                        recovered = true
                    } catch {
                        refused = error
                    }
                }
            }

            if forwards, stored || recovered { outboxFilled?() }
            condition.lock()
            if (stored && refused == nil) || recovered {
                if recovered {
                    logger.notice("the store takes writes again: \(heldBefore) held event(s) stored with their own times")
                }
                held = StoreWrites()
                failure = nil
            } else if let refused, wasFailing {
                failure = "\(refused)"
                tally.storeFailures += 1
                nextRetry = WallClock.monotonic() + Self.retrySeconds
            }
            heldCount = held.events
            heldSize = held.bytes
            inFlight = nil
            condition.broadcast()
            if closing && failure != nil && queue.isEmpty {
                // Tried once more at the stop: what is left is reported by `close()`.
                return stop()
            }
            condition.unlock()
        }
    }

    /// The store refused a commit while it was thought to take writes.
    private func noteRefusal(_ refused: StoreError) {
        condition.lock()
        defer { condition.unlock() }
        logger.critical("the store refuses writes: alarms go out at once marked not stored and are held in memory until it takes them: \(refused)")
        failure = "\(refused)"
        tally.storeFailures += 1
        nextRetry = WallClock.monotonic() + Self.retrySeconds
    }

    /// Publishes a group's events in order, marked `"stored": false` unless `stored`.
    private func publish(_ group: [Batch], stored: Bool) {
        var counted = Counters()
        for batch in group {
            for e in batch.encoded {
                let body = stored ? e.body : Self.markedNotStored(e.body)
                if sink.publish(topic: e.topic, body: body) {
                    counted.countPublished(topic: e.topic)
                    if !stored { counted.publishedUnstored += 1 }
                } else {
                    counted.dropped += 1
                }
            }
            if let since = batch.since, let observe, !batch.encoded.isEmpty { observe(WallClock.monotonic() - since) }
        }
        condition.lock()
        tally.addPublishing(counted)
        condition.unlock()
    }

    /// `body` (a JSON object) with `"stored":false` added: published before it could be stored.
    static func markedNotStored(_ body: [UInt8]) -> [UInt8] {
        guard let close = body.lastIndex(of: UInt8(ascii: "}")) else { return body }
        let empty = body[..<close].last(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }) == UInt8(ascii: "{")
        var out = Array(body[..<close])
        out += Array((empty ? "\"stored\":false" : ",\"stored\":false").utf8)
        out += body[close...]
        return out
    }

    /// Called with the lock held; leaves it released.
    private func stop() {
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The rows a commit must carry for `journal`; nil when nothing lasting changed. A row that
    /// cannot be encoded is logged and left out: the events still go out.
    static func live(_ journal: EngineJournal?, globals: GlobalsEncoder, logger: Logger) -> LiveState? {
        guard let j = journal, !j.changed.isEmpty || j.globals != nil else { return nil }
        do {
            return LiveState(sequence: j.sequence, subjects: SnapshotCodec.rows(j.changed),
                             globals: try j.globals.map(globals.encode))
        } catch {
            logger.error("could not encode the live state: \(error)")
            return nil
        }
    }
}
