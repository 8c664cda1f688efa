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

    /// `registry.remove`: `people`, `vehicles` and `references` as arrays of strings, and one
    /// `person` or `plate`; at least one of them.
    static func registryRemove(_ r: Value) throws(RequestError) -> RegistryRemoval {
        func ids(_ key: String) throws(RequestError) -> [String] {
            guard let v = r[key], !v.isNull else { return [] }
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalid("'\(key)' must be an array of strings")
            }
            return a.compactMap(\.stringValue)
        }
        var people = try ids("people")
        var vehicles = try ids("vehicles")
        if let one = r["person"]?.stringValue { people.append(one) }
        if let one = r["plate"]?.stringValue { vehicles.append(one) }
        let references = try ids("references")
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
