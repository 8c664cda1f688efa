import CordonCore
import CordonStore
import CordonWire

/// `history.violations` and `history.passages`: read-only questions to the store, answered on
/// the engine's thread from a consistent read snapshot (they never wait for a write).
extension Pipeline {
    /// Answers one history op; `invalid-request` for a malformed filter.
    func history(_ r: Value, at t: Instant) -> [UInt8] {
        guard let store else {
            return ReplyEncoder.error(code: "unavailable", message: "history reads the store; replay keeps none")
        }
        do throws(RequestError) {
            switch r["op"]?.stringValue {
            case "history.violations": return try violationHistory(r, store: store, at: t)
            default: return try passageHistory(r, store: store, at: t)
            }
        } catch {
            return ReplyEncoder.error(code: error.code, message: error.message)
        }
    }

    /// Raises, acknowledgements and clears, oldest first.
    private func violationHistory(_ r: Value, store: Store, at t: Instant) throws(RequestError) -> [UInt8] {
        let w = try RequestBounds.window(r, now: t, defaultSeconds: 86400)
        let limit = try RequestBounds.integer(r["limit"], "limit", in: 1...100_000, default: 10_000)
        var step: HistoryEntry.Step?
        if let s = try RequestBounds.text(r["state"], "state") {
            guard let parsed = HistoryEntry.Step(rawValue: s) else {
                throw .invalid("'state' must be raised, acknowledged or cleared; got '\(s)'")
            }
            step = parsed
        }
        let kind = try RequestBounds.text(r["kind"], "kind")
        if let kind, ViolationKind(rawValue: kind) == nil {
            throw .invalid("unknown violation kind '\(kind)' (docs/protocol.md, 'Ingest messages' lists them)")
        }
        let filter = HistoryFilter(
            from: w.from, until: w.until, kind: kind, zone: try RequestBounds.text(r["zone"], "zone"),
            subject: try RequestBounds.text(r["subject"], "subject"), id: try RequestBounds.text(r["id"], "id"),
            step: step, limit: limit + 1)
        let entries: [HistoryEntry]
        do { entries = try store.history(filter) } catch { throw .internal("could not read the violation history: \(error)") }
        let shown = entries.prefix(limit)
        return ReplyEncoder.ok([
            "from": .time(w.from), "until": .time(w.until), "count": .int(shown.count), "truncated": .bool(entries.count > limit),
            "events": .array(shown.map(Self.value)),
        ])
    }

    /// Access decisions at a gate (or about a subject), oldest first.
    private func passageHistory(_ r: Value, store: Store, at t: Instant) throws(RequestError) -> [UInt8] {
        let w = try RequestBounds.window(r, now: t, defaultSeconds: 86400)
        let limit = try RequestBounds.integer(r["limit"], "limit", in: 1...100_000, default: 10_000)
        let decision = try RequestBounds.text(r["decision"], "decision")
        if let decision, decision != "granted" && decision != "denied" {
            throw .invalid("'decision' must be granted or denied")
        }
        let list: [StoredPassage]
        do {
            list = try store.passages(from: w.from, until: w.until, gate: try RequestBounds.text(r["gate"], "gate"),
                                      subject: try RequestBounds.text(r["subject"], "subject"), limit: decision == nil ? limit + 1 : 1_000_000)
        } catch let e as RequestError {
            throw e
        } catch {
            throw .internal("could not read the gate passages: \(error)")
        }
        let matching = decision.map { d in list.filter { $0.decision == d } } ?? list
        let shown = matching.prefix(limit)
        return ReplyEncoder.ok([
            "from": .time(w.from), "until": .time(w.until), "count": .int(shown.count), "truncated": .bool(matching.count > limit),
            "passages": .array(shown.map { p in
                var v: [String: Value] = ["t": .time(p.time), "id": .string(p.id), "gate": .string(p.gate), "direction": .string(p.direction),
                                "subject": ["kind": .string(p.subjectKind), "id": .string(p.subjectID)], "decision": .string(p.decision)]
                if let body = try? JSONText.parse(Array(p.body.utf8)) {
                    v["reasons"] = body["reasons"] ?? .null
                    v["booking"] = body["booking"] ?? .null
                }
                return .object(v)
            }),
        ])
    }

    static func value(_ e: HistoryEntry) -> Value {
        var v: [String: Value] = [
            "t": .time(e.time), "step": .string(e.step.rawValue), "id": .string(e.id), "kind": .string(e.kind),
            "severity": .string(e.severity), "subject": ["kind": .string(e.subjectKind), "id": .string(e.subjectID)],
            "scope": .string(e.scope), "zone": e.zoneID.map(Value.string) ?? .null,
        ]
        if let by = e.by { v["by"] = .string(by) }
        if let body = e.body, let parsed = try? JSONText.parse(Array(body.utf8)) { v["details"] = parsed["details"] ?? .null }
        return .object(v)
    }
}
