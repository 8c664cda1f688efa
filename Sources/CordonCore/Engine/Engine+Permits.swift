/// Work permits on the control socket: `permit.create`, `permit.close`, `permit.list`.
extension Engine {
    func permitCreate(_ r: PermitRequest, at t: Instant) throws(RequestError) -> ControlResult {
        let id = r.id ?? nextPermitID()
        if let existing = permits.permits[id], existing.closedAt == nil, existing.until > t {
            throw .conflict("permit '\(id)' already exists and is in force; close it first or choose another id")
        }
        guard let zone = site.zone(r.zone) else { throw .notFound("no zone '\(r.zone)' in site \(site.id)") }
        if !zone.permitKinds.isEmpty && !zone.permitKinds.contains(r.kind) {
            throw .invalid("zone \(r.zone) takes only " + zone.permitKinds.map(\.rawValue).joined(separator: ", ") + " permits")
        }
        for (name, ids) in [("workers", r.workers), ("guardians", r.guardians)] {
            if let unknown = ids.first(where: { registry.people[$0] == nil }) {
                throw .notFound("\(name): no person '\(unknown)' in the registry")
            }
        }
        guard r.until > t else { throw .invalid("the window has already ended (\(r.until))") }
        let permit = WorkPermit(
            id: id, kind: r.kind, zone: r.zone, workers: r.workers, guardians: r.guardians, from: r.from, until: r.until,
            issuedBy: r.issuedBy, description: r.description)
        permits.put(permit)
        if r.from > t { timers.schedule(.permitBoundary(id: id), at: r.from) }
        timers.schedule(.permitBoundary(id: id), at: r.until)
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
}
