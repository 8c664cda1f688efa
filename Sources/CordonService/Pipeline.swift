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
    public private(set) var counters = Counters()
    let store: Store?
    let writer: StoreWriter?
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
    /// Caused by the current frame, not yet stored and published.
    var pendingOutputs: [Output] = []
    var pendingPassages: [GateRecord] = []
    /// In serve: messages more than this many seconds ahead of the service clock are refused.
    public var maxFutureSkewS: Double?
    /// Stores the live-state journal with each frame (Pipeline+Journal.swift); off only in
    /// `cordon bench --without-journal`, to measure what it costs.
    public var keepsJournal = true

    /// - Parameters:
    ///   - store: where violations, the registry and dead letters are kept; nil in `replay`.
    ///   - sitePath: the file `site.reload` reads again.
    public init(
        engine: Engine, store: Store?, sink: any EventSink, sitePath: String?, allowControlLines: Bool = false,
        maxFrameBytes: Int = 1 << 20, logger: Logger = Logger(label: "cordon")
    ) {
        self.engine = engine
        self.store = store
        self.writer = store.map { s in
            let frame = engine.site.frame
            return StoreWriter(
                store: s, onError: { [logger] e in logger.error("could not store positions or dead letters: \(e)") },
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
                return try StoreCheckpointer(store: s, onError: { [logger] e in logger.warning("checkpoint: \(e)") })
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
    }

    // MARK: ingest

    /// Decodes one ingest frame and handles every message in it. In replay form a line may
    /// also be a timed control request; its reply is returned in order.
    @discardableResult
    ///
    /// What a frame's messages cause is stored in one transaction and then published: a group
    /// commit, so that a burst of violations (a shift arriving, a frame of a hundred positions)
    /// costs one commit, not one each.
    public func ingest(frame: UnsafeRawBufferPointer, receivedAt: Instant) -> [[UInt8]] {
        var replies: [[UInt8]] = []
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
        flushPending()
        return replies
    }

    /// Stores and publishes what the messages handled so far caused.
    func flushPending() {
        guard !pendingOutputs.isEmpty || !pendingPassages.isEmpty || (store != nil && engine.journalHasChanges) else { return }
        let (o, p) = (pendingOutputs, pendingPassages)
        pendingOutputs.removeAll(keepingCapacity: true)
        pendingPassages.removeAll(keepingCapacity: true)
        emit(o, passages: p)
    }

    /// Convenience over bytes.
    @discardableResult
    public func ingest(frame: [UInt8], receivedAt: Instant) -> [[UInt8]] {
        frame.withUnsafeBytes { ingest(frame: $0, receivedAt: receivedAt) }
    }

    func handle(_ m: IngestMessage, frame: UnsafeRawBufferPointer?, receivedAt: Instant) {
        // In serve, a message from too far in the future would drag the clock forward and
        // silence every timed rule until then: a source with a wrong clock is refused instead.
        if let skew = maxFutureSkewS, m.time > receivedAt.adding(seconds: skew) {
            reject(.init("future-time", "t \(m.time.rfc3339) is more than \(Int(skew)) s ahead of the service clock (\(receivedAt.rfc3339)); check the source's clock"),
                   raw: frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? [], receivedAt: receivedAt)
            return
        }
        let (disposition, outputs) = engine.handle(m)
        switch disposition {
        case .accepted:
            counters.accepted[m.typeName, default: 0] += 1
            if case .position(let p) = m, let writer { tracks.offer(p, engine: engine, to: writer) }
        case .late:
            counters.late += 1
        case .rejected(let reason):
            // The frame's text is kept (for a batch, the batch's): what the source actually sent.
            reject(reason, raw: frame.map { Array($0.prefix(DeadLetter.rawLimit)) } ?? Array(describe(m).utf8), receivedAt: receivedAt)
        }
        if !outputs.isEmpty { pendingOutputs += outputs }
        if engine.keepsGateRecords { pendingPassages += engine.drainGateRecords() }
    }

    func reject(_ reason: RejectReason, raw: [UInt8], receivedAt: Instant) {
        counters.rejected[reason.code, default: 0] += 1
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
    func emit(_ outputs: [Output], passages: [GateRecord] = []) {
        let encoded = outputs.map { EventEncoder.encode($0, site: engine.site.id) }
        if let store, encoded.contains(where: { $0.topic.hasPrefix("muster.") }) {
            // A muster accounting is kept before it is announced: a restart resumes the roll-call.
            do { try saveMuster(store) } catch { logger.error("could not store the muster's progress: \(error)") }
        }
        if let store {
            let live = drainLive()
            var batch: [(violation: Violation, body: String)] = []
            for (o, e) in zip(outputs, encoded) {
                if case .violation(let v) = o { batch.append((v, String(decoding: e.body, as: UTF8.self))) }
            }
            if !batch.isEmpty || !passages.isEmpty || live != nil {
                do {
                    try store.record(batch, gate: passages.map { ($0, JSONText.encode($0.body)) }, live: live)
                } catch {
                    // Not stored means not said: a subscriber must never see what the store lacks.
                    logger.error("could not store \(batch.count) violation(s) and \(passages.count) gate passage(s), not publishing them: \(error)")
                    counters.dropped += batch.count + passages.count
                    for (o, e) in zip(outputs, encoded) {
                        if case .violation = o { continue }
                        if !passages.isEmpty, e.topic.hasPrefix("access.") { continue }
                        publish(e.topic, e.body)
                    }
                    return
                }
            }
        }
        for e in encoded { publish(e.topic, e.body) }
    }

    private func publish(_ topic: String, _ body: [UInt8]) {
        if sink.publish(topic: topic, body: body) { counters.published += 1 } else { counters.dropped += 1 }
    }

    // MARK: control

    /// Answers one control request given as bytes; a malformed request gets an error reply.
    public func control(bytes: some Collection<UInt8>, at t: Instant) -> [UInt8] {
        let request: Value
        do {
            request = try JSONText.parse(bytes)
        } catch {
            return ReplyEncoder.error(code: "invalid-request", message: "the request is not valid JSON: \(error)")
        }
        return control(request, at: t)
    }

    /// Answers one control request.
    public func control(_ request: Value, at t: Instant) -> [UInt8] {
        switch request["op"]?.stringValue {
        case "ping":
            return ReplyEncoder.ok([
                "version": .string(CordonVersion.string), "protocol": "v1", "site": .string(engine.site.id),
                "uptime_s": .number((WallClock.monotonic() - startedAt).rounded(toPlaces: 3)),
                "tracked": .int(engine.trackedCount), "alarms": .int(engine.alarms.active.count),
                "counters": counters.value,
            ])
        case "site.get":
            return ReplyEncoder.ok(["site": engine.site.document, "summary": .string(engine.site.summary)])
        case "site.reload":
            return reloadSite(at: t)
        case "track":
            return track(request, at: t)
        case let op? where Self.historyOps.contains(op):
            return history(request, at: t)  // HistoryQueries.swift
        default:
            let result = engine.control(request, at: t)
            if !result.effects.isEmpty { persist(result.effects) }
            if !result.outputs.isEmpty { emit(result.outputs) }
            switch result.reply {
            case .success(let members): return ReplyEncoder.ok(members)
            case .failure(let e): return ReplyEncoder.error(code: e.code, message: e.message)
            }
        }
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
        func instant(_ v: Value?) -> Instant? {
            switch v {
            case .string(let s)?: return RFC3339.parse(s)
            case .number(let n)? where n.isFinite: return Instant(milliseconds: Int64(n))
            default: return nil
            }
        }
        let until = instant(r["until"]) ?? t.adding(seconds: 1)
        let from = instant(r["from"]) ?? until.adding(seconds: -3600)
        guard from < until else { return ReplyEncoder.error(code: "invalid-request", message: "'from' must be before 'until'") }
        let limit = min(max(r["limit"]?.intValue ?? 10_000, 1), 100_000)
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

    private func reloadSite(at t: Instant) -> [UInt8] {
        guard let sitePath else {
            return ReplyEncoder.error(code: "unavailable", message: "this instance was not started from a site file")
        }
        do {
            let site = try SiteFile.load(path: sitePath)
            tick(to: t)
            let outputs = engine.replace(site: site)
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

    private func persist(_ effects: [ControlResult.Effect]) {
        guard let store else { return }
        do {
            for e in effects {
                switch e {
                case .registryUpserted(let people, let vehicles):
                    try store.upsertPeople(people)
                    try store.upsertVehicles(vehicles)
                case .registryRemoved(let people, let vehicles):
                    for p in people { _ = try store.removePerson(id: p) }
                    for v in vehicles { _ = try store.removeVehicle(plate: v) }
                case .acknowledged(let id, let by, let at):
                    _ = try store.acknowledge(id: id, by: by, at: at)
                case .stateChanged:
                    try store.saveState(key: Self.snapshotKey, data: try SnapshotCodec.encode(engine.snapshot()))
                    try saveMuster(store)
                case .musterEnded(let id, let report):
                    try store.saveState(key: Self.musterReportKey(id), data: JSONText.encodeBytes(report))
                case .bookingStored(let b):
                    try store.saveBooking(b)
                }
            }
        } catch {
            logger.error("could not store a control change: \(error)")
        }
    }

    // MARK: lifecycle

    /// Rebuilds the engine from the store after a restart: registry, live state, raised alarms.
    public func restoreFromStore() throws {
        guard let store else { return }
        let reg = try store.loadRegistry()
        engine.applyRegistry(people: reg.people, vehicles: reg.vehicles, at: engine.now)
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
        journalWriter?.close()
        saveSnapshot()
        do { try writer?.close() } catch { logger.error("the store writer stopped with an error: \(error)") }
        checkpointer?.close()
        do { try store?.close() } catch { logger.error("the store did not close cleanly: \(error)") }
    }

    /// Blocks until queued positions and dead letters are committed.
    public func flush() {
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
