import CordonCore
import Foundation
import Geometry
import CordonStore
import CordonWire
import Logging

/// The one path every input takes, in `serve` and in `replay` alike: decode, hand to the
/// engine, store what must be durable, then publish.
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
            reject(reason, raw: frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? Array(describe(m).utf8), receivedAt: receivedAt)
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

    // MARK: control

    /// Answers one control request given as bytes; a malformed request gets an error reply.
    public func control(bytes: some Collection<UInt8>, at t: Instant, caller: Caller? = nil) -> [UInt8] {
        let request: Value
        do {
            request = try JSONText.parse(bytes)
        } catch {
            return ReplyEncoder.error(code: "invalid-request", message: "the request is not valid JSON: \(error)")
        }
        return control(request, at: t, caller: caller)
    }

    /// Answers one control request from `caller` (docs/protocol.md, "Transport"): refused with
    /// `forbidden` beyond the caller's role; a changing request's `by` defaults to the caller's
    /// name, and it is audited (stored) before the reply is returned.
    ///
    /// `caller` nil is a replay file's control line: no role is checked and nothing is audited
    /// (a replay has no store), but a change that names no `by` is made by `replay`, as `serve`
    /// makes it by its caller, so that a file recorded from what operators sent replays as
    /// `serve` took it.
    public func control(_ request: Value, at t: Instant, caller: Caller? = nil) -> [UInt8] {
        // What a request reads or changes in the store comes after what was already published:
        // an acknowledgement finds its alarm stored, a history query sees what was said.
        if request["op"]?.stringValue != "ping" { waitCommitted() }
        guard let caller, case .object(var members) = request, let op = members["op"]?.stringValue else {
            if caller == nil, case .object(var line) = request, let op = line["op"]?.stringValue, ControlOp.changes(op),
               line["by"]?.stringValue?.isEmpty ?? true {
                line["by"] = .string(Self.replayCaller)
                return perform(.object(line), at: t)
            }
            return perform(request, at: t)
        }
        let needed = ControlOp.role(for: op)
        let changes = ControlOp.changes(op)
        var reply: [UInt8]
        if caller.role < needed {
            reply = ReplyEncoder.error(
                code: "forbidden",
                message: "'\(op)' needs the role \(needed.rawValue)\(needed == .admin ? "" : " or above"); \(caller.name) has the role \(caller.role.rawValue)")
        } else {
            if changes, members["by"]?.stringValue?.isEmpty ?? true { members["by"] = .string(caller.name) }
            reply = perform(.object(members), at: t)
        }
        if changes { audit(op: op, request: .object(members), reply: reply, caller: caller, at: t) }
        // Carried out, and held for a store that refuses writes: the reply says so, as events do.
        if changes, isHolding { reply = EventCommitter.markedNotStored(reply) }
        return reply
    }

    /// The name a replay file's control lines act under when they name no `by`.
    public static let replayCaller = "replay"

    /// Keeps who asked for a change and what came of it. A failure is logged and the reply
    /// still goes out: the change is made, and a REP client must never be left waiting.
    private func audit(op: String, request: Value, reply: [UInt8], caller: Caller, at t: Instant) {
        guard let store else { return }
        let parsed = try? JSONText.parse(reply)
        let entry = AuditEntry(
            time: t, caller: caller.name, role: caller.role.rawValue, op: op, ok: parsed?["ok"]?.boolValue == true,
            errorCode: parsed?["error"]?["code"]?.stringValue, request: JSONText.encode(request),
            result: String(decoding: reply, as: UTF8.self))
        // While the store refuses writes the entry waits with the held events, and is stored
        // with them: an audit is never dropped for a full disk.
        guard !isHolding else { return holdAudit(entry) }
        do { try store.appendAudit(entry) } catch {
            logger.error("could not store the audit of '\(op)' by \(caller), holding it until the store takes writes: \(error)")
            holdAudit(entry)
        }
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

    /// Hands an audit entry the store would not take to the committer, to be stored in order.
    private func holdAudit(_ entry: AuditEntry) {
        guard let committer else { return tally.auditFailed += 1 }
        committer.submit(.init(encoded: [], outputs: [], passages: [], journal: nil, audits: [entry]))
    }

    /// Does what a request asks, whoever asked: the service's own ops here, the rest by the
    /// engine (ControlOp says which is which).
    private func perform(_ request: Value, at t: Instant) -> [UInt8] {
        // What is no op at all goes to the engine too, which says what is wrong with it.
        guard let op = request["op"]?.stringValue.flatMap(ControlOp.init(rawValue:)) else { return byEngine(request, at: t) }
        switch op {
        case .ping:
            var members: [String: Value] = [
                "version": .string(CordonVersion.string), "protocol": "v1", "site": .string(engine.site.id),
                "uptime_s": .number((WallClock.monotonic() - startedAt).rounded(toPlaces: 3)),
                "tracked": .int(engine.trackedCount), "alarms": .int(engine.alarms.active.count),
                "counters": counters.value(trackHistoryDropped: writer?.droppedCount ?? 0),
                "store": storeStatus,
            ]
            // Alive, but not well: whoever watches `ok` learns the record is behind.
            guard engine.isStoreFailingRaised else { return ReplyEncoder.ok(members) }
            members["ok"] = false
            members["error"] = ["code": "store-failing", "message": .string(
                "the store refuses writes (\(storeFailure ?? "it recovered a moment ago")); the rules run and alarms go out marked not stored; see 'store' and docs/operations.md")]
            return JSONText.encodeBytes(.object(members))
        case .siteGet:
            return ReplyEncoder.ok(["site": engine.site.document, "summary": .string(engine.site.summary)])
        case .siteReload:
            return reloadSite(at: t)
        case .track:
            return track(request, at: t)
        case .auditList:
            return auditList(request, at: t)
        case .forwardStatus:
            guard let forwarder else {
                return ReplyEncoder.ok(["destinations": .array([]), "note": "no forwarding destinations are configured (docs/forwarding.md)"])
            }
            do { return ReplyEncoder.ok(["destinations": try forwarder.status()]) } catch {
                return ReplyEncoder.error(code: "internal", message: "could not read the outbox: \(error)")
            }
        case .historyViolations, .historyPassages:
            return history(request, at: t)  // HistoryQueries.swift
        case .registryUpsert, .registryGet, .registryRemove, .headcount, .whereis, .presence, .parking, .journey,
             .alarmsActive, .alarmsAck, .permitCreate, .permitClose, .permitList, .musterStart, .musterStatus,
             .musterMark, .musterEnd, .musterList, .bookingCreate, .bookingCancel, .bookingList, .reportPositioning:
            return byEngine(request, at: t)
        }
    }

    /// An engine op: what it changed is stored, what it caused published, then the reply.
    private func byEngine(_ request: Value, at t: Instant) -> [UInt8] {
        let result = engine.control(request, at: t)
        if !result.effects.isEmpty { persist(result.effects) }
        if !result.outputs.isEmpty { emit(result.outputs) }
        switch result.reply {
        case .success(let members): return ReplyEncoder.ok(members)
        case .failure(let e): return ReplyEncoder.error(code: e.code, message: e.message)
        }
    }

    /// `ping`'s `store`: whether the store takes writes, and what waits for it.
    private var storeStatus: Value {
        guard store != nil else { return ["ok": true, "kept": false] }
        return .compact([
            "ok": .bool(storeFailure == nil), "kept": true, "error": .optional(storeFailure),
            "held_events": .int(heldEvents), "held_bytes": .int(committer?.heldBytes ?? 0),
            "queued_positions": .int(writer?.queuedCount ?? 0),
        ])
    }

    /// `track`: a subject's positions over a time window, from the store's thinned history
    /// (a point when it moved 5 m, changed zones, or a minute passed).
    private func track(_ r: Value, at t: Instant) -> [UInt8] {
        guard let store else {
            return ReplyEncoder.error(code: "unavailable", message: "track reads the store; replay keeps none")
        }
        let key: SubjectKey
        if let id = r["person"]?.stringValue {
            key = .person(id)
        } else if let plate = r["plate"]?.stringValue {
            key = .vehicle(PlateNumber.normalize(plate))
        } else if let tag = r["tag"]?.stringValue {
            key = engine.subjectKey(for: .tag(tag))
        } else {
            return ReplyEncoder.error(code: "invalid-request", message: "name the subject: 'person', 'plate' or 'tag'")
        }
        let window: RequestWindow
        do { window = try RequestWindow(r, now: t, span: 3600, defaultLimit: 10_000) } catch {
            return ReplyEncoder.error(code: error.code, message: error.message)
        }
        let (from, until, limit) = (window.from, window.until, window.limit)
        flush()
        do {
            let points = try store.track(subject: key, from: from, until: until, limit: limit)
            return ReplyEncoder.ok([
                "subject": ["kind": .string(key.kind), "id": .string(key.id)], "from": .time(from), "until": .time(until),
                "count": .int(points.count),
                "positions": .array(points.map { p in
                    .compact(["t": .time(p.time), "x": .number(p.x.rounded(toPlaces: 2)), "y": .number(p.y.rounded(toPlaces: 2)),
                              "level": .int(p.level), "lon": .number(p.lon.rounded(toPlaces: 7)), "lat": .number(p.lat.rounded(toPlaces: 7)),
                              "zone": .optional(p.zoneID), "speed_kmh": p.speed.map(Value.number) ?? .null])
                }),
            ])
        } catch {
            return ReplyEncoder.error(code: "internal", message: "could not read the track: \(error)")
        }
    }

    /// `audit.list`: the changing requests of a window, oldest first.
    private func auditList(_ r: Value, at t: Instant) -> [UInt8] {
        guard let store else {
            return ReplyEncoder.error(code: "unavailable", message: "the audit is in the store; replay keeps none")
        }
        let window: RequestWindow
        do { window = try RequestWindow(r, now: t, span: 86_400, defaultLimit: 1000) } catch {
            return ReplyEncoder.error(code: error.code, message: error.message)
        }
        let (from, until, limit) = (window.from, window.until, window.limit)
        do {
            let entries = try store.audit(from: from, until: until, caller: r["caller"]?.stringValue, op: r["operation"]?.stringValue, limit: limit)
            return ReplyEncoder.ok([
                "from": .time(from), "until": .time(until), "count": .int(entries.count),
                "entries": .array(entries.map { e in
                    .compact([
                        "seq": .int(Int(e.seq)), "t": .time(e.time), "caller": .string(e.caller), "role": .string(e.role),
                        "op": .string(e.op), "ok": .bool(e.ok), "error_code": .optional(e.errorCode),
                        "request": (try? JSONText.parse(Array(e.request.utf8))) ?? .string(e.request),
                        "result": (try? JSONText.parse(Array(e.result.utf8))) ?? .string(e.result),
                    ])
                }),
            ])
        } catch {
            return ReplyEncoder.error(code: "internal", message: "could not read the audit: \(error)")
        }
    }

    private func reloadSite(at t: Instant) -> [UInt8] {
        guard let sitePath else {
            return ReplyEncoder.error(code: "unavailable", message: "this instance was not started from a site file")
        }
        do {
            let site = try SiteFile.load(path: sitePath)
            tick(to: t)
            let outputs = engine.replace(site: site)
            positionTap?.frame = site.frame
            if !outputs.isEmpty { emit(outputs) }
            logger.info("site reloaded from \(sitePath): \(site.zones.count) zones")
            return ReplyEncoder.ok(["site": .string(site.id), "summary": .string(site.summary)])
        } catch {
            // The old site stays in force: a bad edit must not blind the park.
            var problems: [Value] = []
            if case .invalid(_, let e) = error {
                problems = e.problems.map { ["feature": .string($0.feature), "message": .string($0.message)] }
            }
            let message = "the site file was not reloaded and the previous site stays in force: \(error)"
            return JSONText.encodeBytes([
                "ok": false,
                "error": ["code": "invalid-site", "message": .string(message), "problems": .array(problems)],
            ])
        }
    }

    /// Stores what a control request changed before its reply goes out. While the store refuses
    /// writes (or when it refuses one of these), the changes are handed to the committer, encoded
    /// as they are now, and written in order with the held events once it takes writes again:
    /// an acknowledgement or a roll-call is never refused for a full disk.
    private func persist(_ effects: [ControlResult.Effect]) {
        guard store != nil else { return }
        var writes: [DeferredWrite] = []
        do {
            for e in effects { writes += try deferredWrites(for: e) }
        } catch {
            logger.error("could not encode a control change for the store: \(error)")
        }
        guard let store, !writes.isEmpty else { return }
        if isHolding { return hold(writes) }
        for (i, w) in writes.enumerated() {
            do { try w.write(store) } catch {
                logger.error("could not store \(w.what), holding it and what follows until the store takes writes: \(error)")
                return hold(Array(writes[i...]))
            }
        }
    }

    private func hold(_ writes: [DeferredWrite]) {
        committer?.submit(.init(encoded: [], outputs: [], passages: [], journal: nil, deferred: writes))
    }

    /// The store writes one control change needs, with what they write encoded now.
    private func deferredWrites(for e: ControlResult.Effect) throws -> [DeferredWrite] {
        switch e {
        case .registryUpserted(let people, let vehicles):
            return [DeferredWrite(what: "\(people.count) person(s) and \(vehicles.count) vehicle(s) of the registry", bytes: 512 * (people.count + vehicles.count)) {
                store throws(StoreError) in
                try store.upsertPeople(people)
                try store.upsertVehicles(vehicles)
            }]
        case .registryRemoved(let people, let vehicles):
            return [DeferredWrite(what: "the removal of \(people.count) person(s) and \(vehicles.count) vehicle(s)", bytes: 64 * (people.count + vehicles.count)) {
                store throws(StoreError) in
                for p in people { _ = try store.removePerson(id: p) }
                for v in vehicles { _ = try store.removeVehicle(plate: v) }
            }]
        case .referencesUpserted(let refs):
            return [DeferredWrite(what: "\(refs.count) reference tag(s)", bytes: 256 * refs.count) { store throws(StoreError) in
                try store.upsertReferences(refs)
            }]
        case .referencesRemoved(let ids):
            return [DeferredWrite(what: "the removal of \(ids.count) reference tag(s)", bytes: 64 * ids.count) { store throws(StoreError) in
                try store.removeReferences(ids)
            }]
        case .acknowledged(let id, let by, let at, let alarm):
            let messages = forward?.acknowledgement(of: alarm, by: by, at: at, now: WallClock.now()) ?? []
            return [DeferredWrite(what: "the acknowledgement of \(id) by \(by)", bytes: 256 + messages.count * 2048) { store throws(StoreError) in
                _ = try store.acknowledge(id: id, by: by, at: at, outbox: messages)
            }]
        case .stateChanged:
            let snapshot = try SnapshotCodec.encode(engine.snapshot())
            let muster = try engine.muster.map { try SnapshotCodec.encodeMuster($0) } ?? Data()
            return [DeferredWrite(what: "the engine's snapshot", bytes: snapshot.count + muster.count) { store throws(StoreError) in
                try store.saveState(key: Self.snapshotKey, data: snapshot)
                try store.saveState(key: Self.musterKey, data: muster)
            }]
        case .musterEnded(let id, let report):
            let data = JSONText.encodeBytes(report)
            return [DeferredWrite(what: "the report of muster \(id)", bytes: data.count) { store throws(StoreError) in
                try store.saveState(key: Self.musterReportKey(id), data: data)
            }]
        case .bookingStored(let b):
            return [DeferredWrite(what: "booking \(b.id)", bytes: 1024) { store throws(StoreError) in
                try store.saveBooking(b)
            }]
        }
    }

    // MARK: lifecycle

    /// Rebuilds the engine from the store after a restart: registry, live state, raised alarms.
    public func restoreFromStore() throws {
        guard let store else { return }
        let reg = try store.loadRegistry()
        engine.applyRegistry(people: reg.people, vehicles: reg.vehicles, at: engine.now)
        engine.applyReferences(try store.loadReferences(), at: engine.now)
        if let snap = try loadSnapshot(store) { engine.restore(snap) }
        // The muster record is newer than the snapshot whenever a muster changed since.
        if let data = try store.loadState(key: Self.musterKey) {
            engine.restore(muster: data.isEmpty ? nil : try SnapshotCodec.decodeMuster(data))
        }
        var acks: [String: AlarmBook.Acknowledgement] = [:]
        let open = try store.activeAlarms()
        for a in open {
            if let by = a.acknowledgedBy, let at = a.acknowledgedAt { acks[a.id] = AlarmBook.Acknowledgement(by: by, at: at) }
        }
        engine.restore(alarms: open.map(\.violation), acknowledgements: acks)
        engine.restoreGates(presence: try store.loadPresence(), bookings: try store.loadBookings())
        // Nothing is published here: what was raised stays raised. Whatever fell due while the
        // service was down (a tag gone silent, a stay run out) comes out at the first tick,
        // stored before it is published like everything else.
    }

    /// Keeps the engine's live state for the next start.
    public func saveSnapshot() {
        guard let store else { return }
        do {
            try saveFullLive(store)
        } catch {
            logger.error("could not save the engine snapshot: \(error)")
        }
    }

    /// Writes everything queued, then stops the background writer.
    public func close() {
        if let committer {
            let failure = committer.storeFailure
            let lost = committer.close()
            if lost > 0 {
                logger.critical("stopping with \(lost) event(s) the store never took (\(failure ?? "")): they were not published and are not stored")
            }
        }
        journalWriter?.close()
        forwarder?.close()
        saveSnapshot()
        do { try writer?.close() } catch { logger.error("the store writer stopped with an error: \(error)") }
        checkpointer?.close()
        do { try store?.close() } catch { logger.error("the store did not close cleanly: \(error)") }
    }

    /// Blocks until what was handed to the store so far is committed: events (published too,
    /// unless the store refuses them), queued positions and dead letters.
    public func flush() {
        waitCommitted()
        do { try writer?.flush() } catch { logger.error("queued positions or dead letters were not stored: \(error)") }
    }

    static let snapshotKey = "engine.snapshot"
    static let musterKey = "engine.muster"

    /// Where a finished muster's report is kept.
    public static func musterReportKey(_ id: String) -> String { "muster.report.\(id)" }

    /// The running muster on its own (small, written on every change), or an empty record once none runs.
    func saveMuster(_ store: Store) throws {
        let data = try engine.muster.map { try SnapshotCodec.encodeMuster($0) } ?? Data()
        try store.saveState(key: Self.musterKey, data: data)
    }
}

/// The version `ping` reports.
public enum CordonVersion {
    public static let string = "0.1.0"
}
