import CordonCore
import Foundation
import Geometry
import CordonStore
import CordonWire
import Logging

/// The one path every input takes, in `serve` and in `replay` alike: decode, hand to the
/// engine, store what must be durable, then publish.
///
/// This file is the ingest path and publishing; control requests are in Pipeline+Control.swift,
/// what they change made durable and the restart in Pipeline+Persistence.swift, the live-state
/// journal in Pipeline+Journal.swift.
///
/// A violation is committed to the store before it is published, so that what a subscriber
/// has seen, the store has. Not thread-safe: it runs on the engine's thread.
public final class Pipeline {
    public let engine: Engine
    /// What this thread counted; ``counters`` adds the committer's.
    var tally = Counters()
    /// The running totals `ping` reports.
    public var counters: Counters {
        var c = tally
        committer?.addTallies(to: &c)
        return c
    }
    /// Where violations, passages, the registry and the audit are kept; nil in `replay`.
    public let store: Store?
    let writer: StoreWriter?
    /// Stores, then publishes, what the engine caused, off the engine's thread (with a store).
    let committer: EventCommitter?
    /// Delivers the outbox to other platforms; nil without forwarding destinations or a store.
    let forwarder: Forwarder?
    /// Makes the outbox messages of alarms (and acknowledgements).
    let forward: ForwardMessages?
    /// Writes the live rows of subjects that only moved (Pipeline+Journal.swift).
    let journalWriter: JournalWriter?
    /// Checkpoints the main file off the engine's thread, so commits stay short.
    let checkpointer: StoreCheckpointer?
    let sink: any EventSink
    let decoder: IngestDecoder
    let logger: Logger
    /// Where `site.reload` reads from.
    let sitePath: String?
    let startedAt = WallClock.monotonic()
    let tracks = TrackThinner()
    /// Feeds the live map's positions to the HTTP side, when it is on.
    var positionTap: PositionTap? {
        didSet { engine.reportsTracks = writer != nil || positionTap != nil }
    }
    /// In a staged replay, where outputs go to be encoded and written on a thread of their own
    /// (ReplayRunner+Stages.swift); nil otherwise.
    var outputStage: OutputStage?
    /// Caused by the current frame, not yet stored and published.
    var pendingOutputs: [Output] = []
    var pendingPassages: [GateRecord] = []
    /// When the engine took up the first frame whose events are pending (monotonic seconds).
    var pendingSince: Double?
    /// Told how long each publishing frame took from being taken up to being published
    /// (`cordon_ingest_to_publish_seconds`); called on the publishing thread, must not block.
    let observePublish: (@Sendable (Double) -> Void)?
    /// In serve: messages more than this many seconds ahead of the service clock are refused.
    public var maxFutureSkewS: Double?
    /// In serve: positions older than the site's `max_position_age_s` behind the service clock
    /// are stale (stored, counted, no rule run). Off in replay, whose clock is the input's.
    public var enforcesLiveHorizon = false
    /// Stores the live-state journal with each frame (Pipeline+Journal.swift); off only in
    /// `cordon bench --without-journal`, to measure what it costs.
    public var keepsJournal = true

    /// - Parameters:
    ///   - store: where violations, the registry and dead letters are kept; nil in `replay`.
    ///   - sitePath: the file `site.reload` reads again.
    ///   - hold: how much memory may be filled while the store refuses writes.
    public init(
        engine: Engine, store: Store?, sink: any EventSink, sitePath: String?, allowControlLines: Bool = false,
        maxFrameBytes: Int = 1 << 20, hold: HoldBudget = .default, forwarding: ForwardingConfig = .none,
        logger: Logger = Logger(label: "cordon"),
        observePublish: (@Sendable (Double) -> Void)? = nil
    ) {
        self.engine = engine
        self.observePublish = observePublish
        let forwarder = store.flatMap { s in forwarding.destinations.isEmpty ? nil : Forwarder(config: forwarding, store: s, logger: logger) }
        self.forwarder = forwarder
        self.forward = forwarder.map { _ in ForwardMessages(destinations: forwarding.destinations, site: engine.site.id) }
        let forward = self.forward
        var outboxFilled: (@Sendable () -> Void)?
        if let forwarder { outboxFilled = { forwarder.wake() } }
        self.committer = store.map { s in
            EventCommitter(store: s, sink: sink, logger: logger, observe: observePublish, forward: forward, outboxFilled: outboxFilled)
        }
        self.store = store
        self.writer = store.map { s in
            let frame = engine.site.frame
            return StoreWriter(
                store: s, maxQueued: hold.trackItems, onError: { [logger] e in logger.error("could not store positions or dead letters; they stay queued (within cordon.store.hold_mb) and are tried again every \(Int(StoreWriter.retrySeconds)) s: \(e)") },
                completePositions: { p in
                    guard p.lon.isNaN else { return }
                    let g = frame.toLonLat(LocalPoint(x: p.x, y: p.y))
                    p.lon = g.lon
                    p.lat = g.lat
                })
        }
        self.journalWriter = store.map { s in
            JournalWriter(store: s, onError: { [logger] e in logger.error("could not store the live state of moving subjects: \(e)") })
        }
        self.checkpointer = store.flatMap { s in
            do {
                return try StoreCheckpointer(store: s, onError: { [logger] e in logger.warning("store upkeep (live-state fold, checkpoint): \(e)") })
            } catch {
                logger.warning("no background checkpoints, commits will checkpoint now and then: \(error)")
                return nil
            }
        }
        self.sink = sink
        self.sitePath = sitePath
        self.decoder = IngestDecoder(allowControl: allowControlLines, maxFrameBytes: maxFrameBytes)
        self.logger = logger
        // With a store, gate passages are committed before their decisions are published.
        engine.keepsGateRecords = store != nil
        engine.reportsTracks = writer != nil
    }

    // MARK: ingest

    /// Decodes one ingest frame and handles every message in it. In replay form a line may
    /// also be a timed control request; its reply is returned in order.
    ///
    /// What a frame's messages cause is stored in one transaction and then published: a group
    /// commit, so that a burst of violations (a shift arriving, a frame of a hundred positions)
    /// costs one commit, not one each. With `deferringCommit` the group goes on over the next
    /// frames until ``commitPending()``: `serve` commits once per few frames under load.
    @discardableResult
    public func ingest(frame: UnsafeRawBufferPointer, receivedAt: Instant, deferringCommit: Bool = false) -> [[UInt8]] {
        var replies: [[UInt8]] = []
        if pendingSince == nil, observePublish != nil { pendingSince = WallClock.monotonic() }
        decoder.decode(frame) { item in
            switch item {
            case .message(let m):
                handle(m, frame: frame, receivedAt: receivedAt)
            case .control(let t, let request):
                flushPending()
                replies.append(control(request, at: t))
            case .rejected(let reason, let range):
                reject(reason, raw: Array(frame[range]), receivedAt: receivedAt)
            }
        }
        if !deferringCommit { flushPending() }
        return replies
    }

    /// Stores, then publishes, what the frames handled since the last commit caused.
    public func commitPending() { flushPending() }

    /// Events caused by frames handled but not yet committed (``ingest(frame:receivedAt:deferringCommit:)``).
    public var pendingCount: Int { pendingOutputs.count + pendingPassages.count }

    /// Stores and publishes what the messages handled so far caused.
    func flushPending() {
        guard !pendingOutputs.isEmpty || !pendingPassages.isEmpty || (store != nil && engine.journalHasChanges) else {
            pendingSince = nil
            return
        }
        let (o, p) = (pendingOutputs, pendingPassages)
        pendingOutputs.removeAll(keepingCapacity: true)
        pendingPassages.removeAll(keepingCapacity: true)
        emit(o, passages: p, since: pendingSince)
        pendingSince = nil
    }

    /// Convenience over bytes.
    @discardableResult
    public func ingest(frame: [UInt8], receivedAt: Instant, deferringCommit: Bool = false) -> [[UInt8]] {
        frame.withUnsafeBytes { ingest(frame: $0, receivedAt: receivedAt, deferringCommit: deferringCommit) }
    }

    func handle(_ m: IngestMessage, frame: UnsafeRawBufferPointer?, receivedAt: Instant) {
        // In serve, a message from too far in the future would drag the clock forward and
        // silence every timed rule until then: a source with a wrong clock is refused instead.
        if let skew = maxFutureSkewS, m.time > receivedAt.adding(seconds: skew) {
            reject(.init("future-time", "t \(m.time.rfc3339) is more than \(Int(skew)) s ahead of the service clock (\(receivedAt.rfc3339)); check the source's clock"),
                   raw: frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? [], receivedAt: receivedAt)
            return
        }
        if enforcesLiveHorizon, case .position(let p) = m,
           p.time < receivedAt.adding(seconds: -engine.site.settings.maxPositionAgeS) {
            stale(p, frame: frame, receivedAt: receivedAt)
            return
        }
        let handled = engine.handle(m)
        switch handled.disposition {
        case .accepted:
            tally.countAccepted(m)
            if case .position(let p) = m, let track = handled.track {
                if let writer { tracks.offer(p, track: track, to: writer) }
                if let positionTap { positionTap.offer(p, track: track, receivedAt: receivedAt) }
            }
        case .late:
            tally.late += 1
        case .rejected(let reason):
            // The frame's text is kept (for a batch, the batch's): what the source actually sent.
            // Without a store (replay) the text is not kept, so none is made.
            let raw = writer == nil ? [] : frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? Array(describe(m).utf8)
            reject(reason, raw: raw, receivedAt: receivedAt)
        }
        if !handled.outputs.isEmpty { pendingOutputs += handled.outputs }
        if !handled.gateRecords.isEmpty { pendingPassages += handled.gateRecords }
    }

    /// A position that cannot speak for the present (a reconnecting RTLS engine flushing its
    /// buffer, a source whose clock is behind): into the history, and nothing else.
    private func stale(_ p: PositionReport, frame: UnsafeRawBufferPointer?, receivedAt: Instant) {
        switch engine.site.locate(p.place) {
        case .failure(let reason):
            reject(reason, raw: frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? Array(describe(.position(p)).utf8), receivedAt: receivedAt)
        case .success(let point):
            tally.stale += 1
            if let writer { tracks.offerStale(p, at: point, key: engine.subjectKey(for: p.source), site: engine.site, to: writer) }
        }
    }

    func reject(_ reason: RejectReason, raw: [UInt8], receivedAt: Instant) {
        tally.rejected[reason.code, default: 0] += 1
        writer?.append(DeadLetter(receivedAt: receivedAt, reason: reason, raw: raw))
        logger.debug("rejected \(reason)")
    }

    /// A message that the engine refused after decoding is kept in its decoded form.
    private func describe(_ m: IngestMessage) -> String {
        "\(m)"
    }

    // MARK: clock

    /// Moves the engine's clock (wall clock in `serve`, event time in `replay`).
    public func tick(to t: Instant) {
        let outputs = engine.advance(to: t)
        if !outputs.isEmpty || (store != nil && engine.journalHasChanges) { emit(outputs) }
    }

    // MARK: publishing

    /// Stores the violations among `outputs` and the gate `passages` (access decisions, the
    /// presence ledger, bookings used) in one transaction, then publishes everything in order.
    ///
    /// With a store this is handed to the ``EventCommitter``'s thread, which commits and then
    /// publishes while the engine goes on. When the store cannot take them (disk full,
    /// read-only, locked), they are published at once marked `"stored": false` and held in
    /// memory, in order, until it takes them: the rules never wait for the disk.
    func emit(_ outputs: [Output], passages: [GateRecord] = [], since: Double? = nil) {
        let site = engine.site.id
        if committer == nil, let outputStage {
            outputStage.add(outputs, site: site)
            return
        }
        let encoded = outputs.map { EventEncoder.encode($0, site: site) }
        guard let committer else {
            for e in encoded { publish(e.topic, e.body) }
            if let since, let observePublish, !encoded.isEmpty { observePublish(WallClock.monotonic() - since) }
            return
        }
        var muster: Data?
        if outputs.contains(where: \.isMuster) {
            do { muster = try engine.muster.map { try SnapshotCodec.encodeMuster($0) } ?? Data() } catch {
                logger.error("could not encode the running muster, its record stays as last stored: \(error)")
            }
        }
        committer.submit(.init(encoded: encoded, outputs: outputs, passages: Self.withBodies(passages, outputs, encoded, site: site),
                               journal: drainJournal(),
                               muster: muster, since: since))
    }

    /// Each passage with the body its decision was published with (in the same outputs): what is
    /// stored is byte for byte what subscribers got, and it is written once.
    static func withBodies(
        _ passages: [GateRecord], _ outputs: [Output], _ encoded: [(topic: String, body: [UInt8])], site: String
    ) -> [(record: GateRecord, body: [UInt8])] {
        guard !passages.isEmpty else { return [] }
        var bodies: [String: [UInt8]] = [:]
        for (o, e) in zip(outputs, encoded) { if case .access(let d) = o { bodies[d.id] = e.body } }
        return passages.map { p in (p, bodies[p.decision.id] ?? EventEncoder.accessBody(p.decision, site: site)) }
    }

    /// True while the store refuses writes: events go out marked not stored and are held, and so
    /// are control changes.
    public var isHolding: Bool { committer?.isHolding ?? false }
    /// True while the store's queue is full (a slow disk): ingest waits for room.
    public var mustWait: Bool { committer?.mustWait ?? false }
    /// Why the store refuses writes, while it does.
    public var storeFailure: String? { committer?.storeFailure }
    /// Events not yet stored: queued, or held while the store refuses writes.
    public var heldEvents: Int { committer?.heldEvents ?? 0 }

    /// Raises `store-failing` when the store has begun to refuse writes, clears it when it takes
    /// them again (the engine's ``StoreFailingRule``), and publishes that like any alarm: the
    /// raise goes out marked not stored and is stored, with its time, once the store is back.
    public func observeStoreHealth(at t: Instant) {
        guard let committer else { return }
        let trouble = committer.trouble
        guard (trouble != nil) != engine.isStoreFailingRaised else { return }
        if let trouble {
            logger.critical("store-failing raised: \(trouble.heldEvents) event(s) held (\(trouble.heldBytes / 1024) KiB): \(trouble.error)")
        }
        let outputs = engine.storeHealth(trouble, at: t)
        if !outputs.isEmpty { emit(outputs) }
    }

    /// Blocks while the committer's queue is full (not while the store refuses writes).
    public func waitForRoom() { committer?.waitForRoom() }

    /// Blocks until what the engine caused so far is stored and published (or held).
    public func waitCommitted() { committer?.waitIdle() }

    private func publish(_ topic: String, _ body: [UInt8]) {
        if sink.publish(topic: topic, body: body) { tally.countPublished(topic: topic) } else { tally.dropped += 1 }
    }

    /// Raises `forwarding-failed` for messages the forwarder gave up (``ForwardingFailedRule``).
    public func observeForwarding(at t: Instant) {
        guard let forwarder else { return }
        if let forward {
            forwarder.queueSnapshots({ engine.headcountSnapshot() }, muster: { engine.musterStatusValue(at: t) }, messages: forward,
                                     at: t, logger: logger)
            forwarder.queueVehiclePositions({ engine.hazmatVehicles() }, messages: forward, at: t, logger: logger)
        }
        for f in forwarder.takeFailures() {
            let outputs = engine.forwardingFailed(f, at: t)
            if !outputs.isEmpty { emit(outputs) }
        }
    }
}

/// The version `ping` reports.
public enum CordonVersion {
    public static let string = "0.1.0"
}
