import CordonCore

/// The members of control requests, read and checked at the edge before the engine is given
/// its ``ControlCommand`` (docs/protocol.md, "Control requests"). A request whose members are
/// wrong is refused here with `invalid-request`, and the engine never sees it.
enum ControlRequests {
    /// `registry.get`: `reference`, `person` (or `id`), `plate` or `tag`, in that order; none
    /// asks for everything.
    static func registryGet(_ r: Value) -> RegistryQuery {
        if let id = r["reference"]?.stringValue { return .reference(id) }
        if let id = r["person"]?.stringValue ?? r["id"]?.stringValue { return .person(id) }
        if let plate = r["plate"]?.stringValue { return .plate(plate) }
        if let tag = r["tag"]?.stringValue { return .tag(tag) }
        return .everything
    }

    /// `registry.upsert`: `people`, `vehicles` and `references` as arrays of records
    /// (docs/protocol.md, "registry.upsert"); every record is read before anything is applied,
    /// so one bad record changes nothing. No two references in the request may share a tag.
    static func registryUpsert(_ r: Value) throws(RequestError) -> RegistryUpsert {
        var upsert = RegistryUpsert()
        if let list = r["people"], !list.isNull {
            guard let a = list.arrayValue else { throw .invalid("'people' must be an array of person records") }
            for v in a { upsert.people.append(try RegistryRecords.person(v)) }
        }
        if let list = r["vehicles"], !list.isNull {
            guard let a = list.arrayValue else { throw .invalid("'vehicles' must be an array of vehicle records") }
            for v in a { upsert.vehicles.append(try RegistryRecords.vehicle(v)) }
        }
        if let list = r["references"], !list.isNull {
            guard let a = list.arrayValue else { throw .invalid("'references' must be an array of {id, tag, x, y, level} records") }
            var tags: [String: String] = [:]
            for v in a {
                let ref = try RegistryRecords.reference(v)
                if let other = tags[ref.tag], other != ref.id {
                    throw .conflict("reference \(ref.id): tag '\(ref.tag)' is also given to reference \(other) in this request")
                }
                tags[ref.tag] = ref.id
                upsert.references.append(ref)
            }
        }
        return upsert
    }

    /// `permit.create`: `kind`, `zone`, `workers` (at least one), `guardians`, `window` {from,
    /// until}, and optionally `id`, `by` (or `issued_by`) and `description`.
    static func permitCreate(_ r: Value) throws(RequestError) -> PermitRequest {
        let id = try r["id"].map { v throws(RequestError) -> String in
            guard let s = v.stringValue, !s.isEmpty else { throw .invalid("'id' must be a non-empty string") }
            return s
        }
        let kinds = WorkPermit.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let kindText = r["kind"]?.stringValue else { throw .invalid("'kind' is required: " + kinds) }
        guard let kind = WorkPermit.Kind(rawValue: kindText) else {
            throw .invalid("unknown permit kind '\(kindText)'; one of " + kinds)
        }
        guard let zone = r["zone"]?.stringValue else { throw .invalid("'zone' (a zone id) is required") }
        let workers = try strings(r, "workers", of: "person ids")
        let guardians = try strings(r, "guardians", of: "person ids")
        guard !workers.isEmpty else { throw .invalid("'workers' must list at least one person id") }
        if let both = Set(workers).intersection(guardians).sorted().first {
            throw .invalid("\(both) cannot be both worker and guardian on one permit")
        }
        guard let window = r["window"]?.objectValue else { throw .invalid("'window' {\"from\":…,\"until\":…} is required") }
        let from = try instant(window["from"], "window.from")
        let until = try instant(window["until"], "window.until")
        guard until > from else { throw .invalid("the window ends (\(until)) before it starts (\(from))") }
        return PermitRequest(id: id, kind: kind, zone: zone, workers: workers, guardians: guardians, from: from, until: until,
                             issuedBy: r["by"]?.stringValue ?? r["issued_by"]?.stringValue, description: r["description"]?.stringValue)
    }

    /// `muster.start`: `mode` (drill or emergency) required; `scope` an array of zone or
    /// enterprise ids; `id` and `by` optional.
    static func musterStart(_ r: Value) throws(RequestError) -> MusterStart {
        guard let modeText = r["mode"]?.stringValue else { throw .invalid("'mode' is required: drill or emergency") }
        guard let mode = MusterSession.Mode(rawValue: modeText) else {
            throw .invalid("'mode' '\(modeText)' is neither drill nor emergency")
        }
        let scope = try strings(r, "scope", of: "zone or enterprise ids")
        return MusterStart(mode: mode, scope: scope, id: r["id"]?.stringValue, by: r["by"]?.stringValue)
    }

    /// `muster.mark`: `person` and `by` required, `point` and `note` kept when they are strings.
    static func musterMark(_ r: Value) throws(RequestError) -> MusterMark {
        guard let person = r["person"]?.stringValue else { throw .invalid("'person' (the id of the person safe) is required") }
        guard let by = r["by"]?.stringValue, !by.isEmpty else { throw .invalid("'by' (who vouches for them) is required") }
        return MusterMark(person: person, by: by, point: r["point"]?.stringValue, note: r["note"]?.stringValue)
    }

    /// `report.positioning`: `to` (or `until`) and `from`, each an instant when present.
    static func reportWindow(_ r: Value) throws(RequestError) -> ReportWindow {
        let to = try (r["to"] ?? r["until"]).map { v throws(RequestError) in try instant(v, "to") }
        return ReportWindow(from: try r["from"].map { v throws(RequestError) in try instant(v, "from") }, to: to)
    }

    /// The member `key` as an array of strings (`what` names them in the error); absent or
    /// null is none.
    private static func strings(_ r: Value, _ key: String, of what: String) throws(RequestError) -> [String] {
        guard let v = r[key], !v.isNull else { return [] }
        guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("'\(key)' must be an array of \(what)")
        }
        return a.compactMap(\.stringValue)
    }

    /// The member `name` as an instant, bounded (``Bounded/instant(_:)``); absent or null is
    /// refused like any other value that is no time.
    private static func instant(_ v: Value?, _ name: String) throws(RequestError) -> Instant {
        guard let t = Bounded.instant(v) else {
            throw .invalid("'\(name)' must be an RFC 3339 time with a zone or whole epoch milliseconds up to year 9999")
        }
        return t
    }

    /// `registry.remove`: `people`, `vehicles` and `references` as arrays of strings, and one
    /// `person` or `plate`; at least one of them.
    static func registryRemove(_ r: Value) throws(RequestError) -> RegistryRemoval {
        var people = try strings(r, "people", of: "strings")
        var vehicles = try strings(r, "vehicles", of: "strings")
        if let one = r["person"]?.stringValue { people.append(one) }
        if let one = r["plate"]?.stringValue { vehicles.append(one) }
        let references = try strings(r, "references", of: "strings")
        guard !people.isEmpty || !vehicles.isEmpty || !references.isEmpty else {
            throw .invalid("say what to remove: 'people': [ids], 'vehicles': [plates] and/or 'references': [ids]")
        }
        return RegistryRemoval(people: people, vehicles: vehicles, references: references)
    }

    /// `whereis`: `person` (or `id`), `plate` or `tag`.
    static func whereis(_ r: Value) throws(RequestError) -> WhereisSubject {
        if let id = r["person"]?.stringValue ?? r["id"]?.stringValue { return .named(id) }
        if let plate = r["plate"]?.stringValue { return .plate(plate) }
        if let tag = r["tag"]?.stringValue { return .tag(tag) }
        throw .invalid("name the subject: 'person', 'plate' or 'tag'")
    }

    /// `alarms.ack`: the alarm's `id`, and `by`, who acknowledges (the caller's name when the
    /// request names no one).
    static func alarmsAck(_ r: Value) throws(RequestError) -> (id: String, by: String) {
        guard let id = r["id"]?.stringValue else { throw .invalid("'id' of the alarm to acknowledge is required") }
        guard let by = r["by"]?.stringValue, !by.isEmpty else { throw .invalid("'by' (who acknowledges) is required") }
        return (id, by)
    }

    /// `presence`: `kind` (person or vehicle), `enterprise`, `id` (a person's id or a plate),
    /// `list` (true unless false).
    static func presence(_ r: Value) throws(RequestError) -> PresenceQuery {
        let kind = try RegistryRecords.string(r["kind"], "'kind'")
        if let kind, kind != "person", kind != "vehicle" { throw .invalid("'kind' is person or vehicle") }
        return PresenceQuery(kind: kind, enterprise: try RegistryRecords.string(r["enterprise"], "'enterprise'"),
                             id: try RegistryRecords.string(r["id"], "'id'"), list: try RegistryRecords.bool(r["list"], "'list'") ?? true)
    }

    /// `journey`: `booking` (or `id`).
    static func journey(_ r: Value) throws(RequestError) -> String {
        guard let id = r["booking"]?.stringValue ?? r["id"]?.stringValue else { throw .invalid("'booking' (a booking id) is required") }
        return id
    }

    /// `permit.close`: `id`, and `by`.
    static func permitClose(_ r: Value) throws(RequestError) -> (id: String, by: String?) {
        guard let id = r["id"]?.stringValue else { throw .invalid("'id' of the permit to close is required") }
        return (id, r["by"]?.stringValue)
    }

    /// `booking.cancel`: `id`.
    static func bookingCancel(_ r: Value) throws(RequestError) -> String {
        guard let id = try RegistryRecords.string(r["id"], "'id'") else { throw .invalid("'id' of the booking to cancel is required") }
        return id
    }

    /// `booking.list`: `plate`, `gate`, `status`.
    static func bookingList(_ r: Value) throws(RequestError) -> BookingFilter {
        let plate = try RegistryRecords.string(r["plate"], "'plate'").map(PlateNumber.normalize)
        let gate = try RegistryRecords.string(r["gate"], "'gate'")
        var status: Booking.Status?
        if let text = try RegistryRecords.string(r["status"], "'status'") {
            guard let s = Booking.Status(rawValue: text) else {
                throw .invalid("'status' is one of " + Booking.Status.allCases.map(\.rawValue).joined(separator: ", "))
            }
            status = s
        }
        return BookingFilter(plate: plate, gate: gate, status: status)
    }
}
