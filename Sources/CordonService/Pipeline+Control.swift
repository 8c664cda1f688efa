import CordonCore
import CordonStore
import CordonWire
import Foundation
import Logging

/// Control requests (docs/protocol.md, "Control requests"): the caller's role checked, `by`
/// defaulted and the request audited for a changing op, then answered by the service or the
/// engine as ``ControlOp`` says.
extension Pipeline {
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
    func audit(op: String, request: Value, reply: [UInt8], caller: Caller, at t: Instant) {
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

    /// Hands an audit entry the store would not take to the committer, to be stored in order.
    func holdAudit(_ entry: AuditEntry) {
        guard let committer else { return tally.auditFailed += 1 }
        committer.submit(.init(encoded: [], outputs: [], passages: [], journal: nil, audits: [entry]))
    }

    /// Does what a request asks, whoever asked: the service's own ops here, the rest by the
    /// engine (ControlOp says which is which).
    func perform(_ request: Value, at t: Instant) -> [UInt8] {
        let route: ControlOp.Route
        do throws(RequestError) {
            route = try ControlOp.of(request).route(request)
        } catch {
            // The clock still moves to the request's time, as it does for every request.
            tick(to: t)
            return ReplyEncoder.error(code: error.code, message: error.message)
        }
        let service: ControlOp.ServiceOp
        switch route {
        case .engine(let command): return byEngine(command, at: t)
        case .service(let s): service = s
        }
        switch service {
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
        }
    }

    /// An engine op: what it changed is stored, what it caused published, then the reply.
    func byEngine(_ command: ControlCommand, at t: Instant) -> [UInt8] {
        let result = engine.control(command, at: t)
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
    func track(_ r: Value, at t: Instant) -> [UInt8] {
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
    func auditList(_ r: Value, at t: Instant) -> [UInt8] {
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

    func reloadSite(at t: Instant) -> [UInt8] {
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
}
