/// Work permits on the control socket: `permit.create`, `permit.close`, `permit.list`.
extension Engine {
    func permitCreate(_ r: Value, at t: Instant) throws(RequestError) -> ControlResult {
        let id = try r["id"].map { v throws(RequestError) -> String in
            guard let s = v.stringValue, !s.isEmpty else { throw .invalid("'id' must be a non-empty string") }
            return s
        } ?? nextPermitID()
        if let existing = permits.permits[id], existing.closedAt == nil, existing.until > t {
            throw .conflict("permit '\(id)' already exists and is in force; close it first or choose another id")
        }
        guard let kindText = r["kind"]?.stringValue else {
            throw .invalid("'kind' is required: " + WorkPermit.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let kind = WorkPermit.Kind(rawValue: kindText) else {
            throw .invalid("unknown permit kind '\(kindText)'; one of " + WorkPermit.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let zoneID = r["zone"]?.stringValue else { throw .invalid("'zone' (a zone id) is required") }
        guard let zone = site.zone(zoneID) else { throw .notFound("no zone '\(zoneID)' in site \(site.id)") }
        if !zone.permitKinds.isEmpty && !zone.permitKinds.contains(kind) {
            throw .invalid("zone \(zoneID) takes only " + zone.permitKinds.map(\.rawValue).joined(separator: ", ") + " permits")
        }
        let workers = try people(r["workers"], "workers")
        let guardians = try people(r["guardians"], "guardians")
        guard !workers.isEmpty else { throw .invalid("'workers' must list at least one person id") }
        if let both = Set(workers).intersection(guardians).sorted().first {
            throw .invalid("\(both) cannot be both worker and guardian on one permit")
        }
        guard let window = r["window"]?.objectValue else { throw .invalid("'window' {\"from\":…,\"until\":…} is required") }
        let from = try instant(window["from"], "window.from")
        let until = try instant(window["until"], "window.until")
        guard until > from else { throw .invalid("the window ends (\(until)) before it starts (\(from))") }
        guard until > t else { throw .invalid("the window has already ended (\(until))") }
        let permit = WorkPermit(
            id: id, kind: kind, zone: zoneID, workers: workers, guardians: guardians, from: from, until: until,
            issuedBy: r["by"]?.stringValue ?? r["issued_by"]?.stringValue, description: r["description"]?.stringValue)
        permits.put(permit)
        if from > t { timers.schedule(.permitBoundary(id: id), at: from) }
        timers.schedule(.permitBoundary(id: id), at: until)
        recheckAccess(zone: zone, at: t)
        evaluateGuardians(permit, at: t)
        return ControlResult(reply: .success(["permit": Self.value(permit, at: t)]), outputs: context.alarms.drain(),
                             effects: [.stateChanged])
    }

    func permitClose(id: String, by: String?, at t: Instant) throws(RequestError) -> ControlResult {
        guard var p = permits.permits[id] else { throw .notFound("no permit '\(id)'; permit.list shows them") }
        guard p.closedAt == nil else { throw .conflict("permit '\(id)' was already closed at \(p.closedAt?.rfc3339 ?? "")") }
        p.closedAt = t
        p.closedBy = by
        permits.put(p)
        if let zone = site.zone(p.zone) {
            // Workers still inside are in violation from this instant.
            recheckAccess(zone: zone, at: t)
            evaluateGuardians(p, at: t)
        }
        return ControlResult(reply: .success(["permit": Self.value(p, at: t)]), outputs: context.alarms.drain(),
                             effects: [.stateChanged])
    }

    func permitList(zone: String?, activeOnly: Bool, at t: Instant) -> [String: Value] {
        let list = permits.permits.values
            .filter { zone == nil || $0.zone == zone }
            .filter { !activeOnly || $0.isActive(at: t) }
            .sorted { ($0.from, $0.id) < ($1.from, $1.id) }
        return ["permits": .array(list.map { Self.value($0, at: t) }), "count": .int(list.count)]
    }

    static func value(_ p: WorkPermit, at t: Instant) -> Value {
        .compact([
            "id": .string(p.id), "kind": .string(p.kind.rawValue), "zone": .string(p.zone),
            "workers": .array(p.workers.map(Value.string)), "guardians": .array(p.guardians.map(Value.string)),
            "window": ["from": .time(p.from), "until": .time(p.until)], "by": .optional(p.issuedBy),
            "description": .optional(p.description), "closed_at": p.closedAt.map(Value.time) ?? .null,
            "closed_by": .optional(p.closedBy), "active": .bool(p.isActive(at: t)),
        ])
    }

    private func nextPermitID() -> String {
        var n = permits.permits.count + 1
        while permits.permits["WP\(n)"] != nil { n += 1 }
        return "WP\(n)"
    }

    private func people(_ v: Value?, _ name: String) throws(RequestError) -> [String] {
        guard let v, !v.isNull else { return [] }
        guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("'\(name)' must be an array of person ids")
        }
        let ids = a.compactMap(\.stringValue)
        if let unknown = ids.first(where: { registry.people[$0] == nil }) {
            throw .notFound("\(name): no person '\(unknown)' in the registry")
        }
        return ids
    }

    func instant(_ v: Value?, _ name: String) throws(RequestError) -> Instant {
        guard let t = Bounded.instant(v) else {
            throw .invalid("'\(name)' must be an RFC 3339 time with a zone or whole epoch milliseconds up to year 9999")
        }
        return t
    }
}
