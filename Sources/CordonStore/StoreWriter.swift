import CordonCore
import Foundation

/// Writes positions and dead letters on a thread of its own, in batched transactions, so that
/// the engine thread never waits for the disk on their account.
///
/// Items are queued under a lock and committed when `batchSize` of them are waiting, when the
/// oldest has waited `interval`, on ``flush()``, and on ``close()``. Positions go to the track
/// file, dead letters to the main file, each in their own transactions. Violations do not go
/// through here: ``Store/record(_:)`` commits them synchronously, before they are published.
///
/// When a batch cannot be written (disk full, read-only, locked) it is retried twice at once,
/// then kept: its items go back to the head of the queue, the error goes to `onError` and to
/// the next ``flush()`` (which returns rather than wait for a disk that may not come back), and
/// the queue is tried again every ``retrySeconds``, so that a store that comes back gets every
/// position it missed. The queue is bounded by `maxQueued`: beyond it new items are dropped
/// and counted in ``droppedCount`` rather than exhausting memory while the disk is stuck
/// (the service sizes it from `cordon.store.hold_mb`). What is still queued when the writer is
/// closed and the store still refuses is dropped and counted. Close the writer before its store.
public final class StoreWriter: Sendable {
    private let core: Core

    /// Starts the writer thread.
    /// - Parameters:
    ///   - batchSize: positions per transaction, and the queue length that starts a write
    ///     before the interval is up. Large is fast: with many subjects each commit dirties about
    ///     one index page per subject, whatever the number of rows.
    ///   - interval: the longest an item waits in the queue before it is written.
    ///   - maxQueued: items waiting beyond which new ones are dropped.
    ///   - onError: told of each batch given up, on the writer thread (it must not call
    ///     `flush()` or `close()`, which wait for that thread).
    public init(
        store: Store, batchSize: Int = 65536, interval: Duration = .milliseconds(200), maxQueued: Int = 1_000_000,
        onError: (@Sendable (StoreError) -> Void)? = nil,
        completePositions: (@Sendable (inout TrackPoint) -> Void)? = nil
    ) {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) * 1e-18
        core = Core(store: store, batchSize: max(1, batchSize), interval: max(0.001, seconds),
                    maxQueued: max(1, maxQueued), onError: onError, complete: completePositions)
        WorkerThread.start(name: "cordon-tracks", urgency: .background) { [core] in core.run() }
    }

    deinit {
        try? core.close()
    }

    /// Queues a position; false when it was dropped (queue full, or writer closed).
    @discardableResult
    public func append(_ point: TrackPoint) -> Bool { core.enqueue(positions: CollectionOfOne(point), letters: EmptyCollection()) }

    /// Queues positions; false when they were dropped (queue full, or writer closed).
    @discardableResult
    public func append(_ points: [TrackPoint]) -> Bool { core.enqueue(positions: points, letters: EmptyCollection()) }

    /// Queues a dead letter; false when it was dropped.
    @discardableResult
    public func append(_ letter: DeadLetter) -> Bool { core.enqueue(positions: EmptyCollection(), letters: CollectionOfOne(letter)) }

    /// Queues dead letters; false when they were dropped.
    @discardableResult
    public func append(deadLetters letters: [DeadLetter]) -> Bool { core.enqueue(positions: EmptyCollection(), letters: letters) }

    /// Blocks until everything queued before the call is committed (or given up on). Throws
    /// the first write failure not yet reported, if any.
    public func flush() throws(StoreError) { try core.flush() }

    /// Writes what is queued, stops the thread and waits for it. Later items are dropped.
    /// Throws the first write failure not yet reported, if any. Calling it again does nothing.
    public func close() throws(StoreError) { try core.close() }

    /// How long after a refused write the queue is tried again.
    public static let retrySeconds = 2.0

    /// Items dropped since the start: queue full, writer closed, or the store still refusing at the close.
    public var droppedCount: Int { core.dropped }

    /// Items waiting to be written.
    public var queuedCount: Int { core.queued }
}

extension StoreWriter {
    /// The state shared by callers and the writer thread; every field is guarded by `condition`.
    /// Kept apart from `StoreWriter` so that the thread does not keep the writer alive: the
    /// writer's `deinit` can still close it.
    private final class Core: @unchecked Sendable {
        let store: Store
        let batchSize: Int
        let interval: TimeInterval
        let maxQueued: Int
        let onError: (@Sendable (StoreError) -> Void)?

        private let condition = NSCondition()
        private var positions: [TrackPoint] = []
        private var letters: [DeadLetter] = []
        /// When the oldest waiting item was queued.
        private var oldestAt: Date?
        /// Items ever accepted; the last one's sequence number.
        private var enqueued: UInt64 = 0
        /// Every item numbered up to here is committed or given up.
        private var settled: UInt64 = 0
        /// A `flush()` wants everything up to here written now.
        private var flushMark: UInt64 = 0
        private var closing = false
        private var finished = false
        private var unreported: StoreError?
        private var droppedItems = 0
        /// After a refused write, nothing is tried before this (unless flushed or closed).
        private var retryAt: Date?

        /// Fills in what the engine's thread left out of a position (its WGS84 coordinates), on
        /// this thread, so that the conversion costs the engine nothing.
        let complete: (@Sendable (inout TrackPoint) -> Void)?

        init(store: Store, batchSize: Int, interval: TimeInterval, maxQueued: Int,
             onError: (@Sendable (StoreError) -> Void)?, complete: (@Sendable (inout TrackPoint) -> Void)? = nil) {
            self.complete = complete
            self.store = store
            self.batchSize = batchSize
            self.interval = interval
            self.maxQueued = maxQueued
            self.onError = onError
            positions.reserveCapacity(min(batchSize, 4096))
        }

        var dropped: Int {
            condition.lock()
            defer { condition.unlock() }
            return droppedItems
        }

        var queued: Int {
            condition.lock()
            defer { condition.unlock() }
            return positions.count + letters.count
        }

        func enqueue(positions p: some Collection<TrackPoint>, letters l: some Collection<DeadLetter>) -> Bool {
            let n = p.count + l.count
            guard n > 0 else { return true }
            condition.lock()
            defer { condition.unlock() }
            let waiting = positions.count + letters.count
            guard !closing, waiting + n <= maxQueued else {
                droppedItems += n
                return false
            }
            positions.append(contentsOf: p)
            letters.append(contentsOf: l)
            enqueued += UInt64(n)
            // Wake the thread only when it has something new to decide: it sleeps without a
            // deadline while the queue is empty, and must start a batch once one is full.
            if waiting == 0 {
                oldestAt = Date()
                condition.signal()
            } else if waiting < batchSize, waiting + n >= batchSize {
                condition.signal()
            }
            return true
        }

        func flush() throws(StoreError) {
            condition.lock()
            let mark = enqueued
            flushMark = max(flushMark, mark)
            condition.broadcast()
            while settled < mark {
                condition.wait()
            }
            let error = unreported
            unreported = nil
            condition.unlock()
            if let error { throw error }
        }

        func close() throws(StoreError) {
            condition.lock()
            closing = true
            condition.broadcast()
            while !finished {
                condition.wait()
            }
            let error = unreported
            unreported = nil
            condition.unlock()
            if let error { throw error }
        }

        /// The writer thread.
        func run() {
            while let (taken, takenLetters, end) = nextBatch() {
                var takenPositions = taken
                if let complete { for i in takenPositions.indices { complete(&takenPositions[i]) } }
                // Everything queued was taken at once (no copying of what stays behind) and is
                // written in transactions of bounded size.
                var keptPositions: [TrackPoint] = []
                var keptLetters: [DeadLetter] = []
                var firstError: StoreError?
                func note(_ error: StoreError?) -> Bool {
                    guard let error else { return false }
                    if firstError == nil {
                        firstError = error
                        onError?(error)
                    }
                    return true
                }
                // Positions go to the track file, in large transactions: rows per subject per
                // commit is what makes them fast. Dead letters go to the main file in small
                // ones, so that a violation's commit never waits long behind them.
                for start in stride(from: 0, to: takenPositions.count, by: batchSize) {
                    let chunk = takenPositions[start..<min(start + batchSize, takenPositions.count)]
                    // After one refusal the rest is not tried: the disk that refused one chunk refuses the next.
                    if firstError != nil || note(attempt { [store] () throws(StoreError) in
                        try store.writeTracks("store \(chunk.count) position(s)") { db in try Store.insert(chunk, db) }
                    }) { keptPositions += chunk }
                }
                for start in stride(from: 0, to: takenLetters.count, by: Self.deadLetterChunk) {
                    let chunk = takenLetters[start..<min(start + Self.deadLetterChunk, takenLetters.count)]
                    if firstError != nil || note(attempt { [store] () throws(StoreError) in
                        try store.write("store \(chunk.count) dead letter(s)") { db in try Store.insert(chunk, db) }
                    }) { keptLetters += chunk }
                }
                condition.lock()
                settled = end
                if unreported == nil { unreported = firstError }
                if !keptPositions.isEmpty || !keptLetters.isEmpty {
                    if closing {
                        droppedItems += keptPositions.count + keptLetters.count
                    } else {
                        // Back to the head of the queue, oldest first, and tried again later.
                        positions.insert(contentsOf: keptPositions, at: 0)
                        letters.insert(contentsOf: keptLetters, at: 0)
                        // What came in meanwhile was bounded without these: the newest go first.
                        let over = positions.count + letters.count - maxQueued
                        if over > 0 {
                            let cut = min(over, positions.count)
                            positions.removeLast(cut)
                            droppedItems += cut
                        }
                        oldestAt = oldestAt ?? Date()
                        retryAt = Date().addingTimeInterval(StoreWriter.retrySeconds)
                    }
                } else {
                    retryAt = nil
                }
                condition.broadcast()
                condition.unlock()
            }
        }

        /// Waits until a batch is due and takes everything queued; nil when closing and
        /// nothing is left.
        private func nextBatch() -> ([TrackPoint], [DeadLetter], UInt64)? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                let waiting = positions.count + letters.count
                if waiting == 0 {
                    if closing {
                        finished = true
                        condition.broadcast()
                        return nil
                    }
                    condition.wait()
                    continue
                }
                var deadline = (oldestAt ?? Date()).addingTimeInterval(interval)
                if let retryAt { deadline = max(deadline, retryAt) }
                if closing || flushMark > settled || (waiting >= batchSize && retryAt == nil) || Date() >= deadline {
                    break
                }
                _ = condition.wait(until: deadline)
            }
            let p = positions
            let l = letters
            positions = []
            positions.reserveCapacity(min(batchSize, 4096))
            letters = []
            oldestAt = nil
            // The queue is now empty: every item numbered up to `enqueued` is in this batch.
            return (p, l, enqueued)
        }

        /// Dead letters per transaction of the main file (up to 4 KiB each).
        static let deadLetterChunk = 256

        /// One transaction, tried three times over about a quarter of a second.
        private func attempt(_ transaction: () throws(StoreError) -> Void) -> StoreError? {
            var lastError: StoreError?
            for attempt in 0..<3 {
                if attempt > 0 { Thread.sleep(forTimeInterval: 0.05 * Double(attempt * attempt)) }
                do {
                    try transaction()
                    return nil
                } catch {
                    lastError = error
                }
            }
            return lastError
        }
    }
}
