/// A control request the engine answers, as the edge decoded it: which operation, and the
/// request it came with (docs/protocol.md, "Control requests").
///
/// The op's name is read once, outside the engine, by the service's table of ops
/// (`ControlOp` in CordonService), which also says who may send it and whether it is audited;
/// the engine switches on these cases and never on a string. The members of most requests are
/// decoded and checked at the edge too: a malformed request is refused before it is checked
/// against live state. `booking.create`, whose checks read the site and report every problem
/// at once, still carries the whole request for the engine to read.
public enum ControlCommand: Sendable, Equatable {
    case registryUpsert(RegistryUpsert)
    case registryGet(RegistryQuery)
    case registryRemove(RegistryRemoval)
    /// One zone's people, or every zone's count (nil).
    case headcount(zone: String?)
    case whereis(WhereisSubject)
    case presence(PresenceQuery)
    case parking
    /// One booking's journey.
    case journey(booking: String)
    /// The active alarms, of one kind and/or one subject's id when given.
    case alarmsActive(kind: String?, subject: String?)
    case alarmsAck(id: String, by: String)
    case permitCreate(PermitRequest)
    case permitClose(id: String, by: String?)
    /// The permits, of one zone when given, only those in force when asked.
    case permitList(zone: String?, activeOnly: Bool)
    case musterStart(MusterStart)
    case musterStatus
    case musterMark(MusterMark)
    case musterEnd(by: String?)
    case musterList
    case bookingCreate(Value)
    case bookingCancel(id: String)
    case bookingList(BookingFilter)
    case reportPositioning(ReportWindow)
}

/// What `registry.upsert` brings: records read and checked on their own, and against each other
/// (no two references in it share a tag). Whether a reference's tag is someone's, or a person's
/// tag a reference's, depends on the registry and is the engine's to check.
public struct RegistryUpsert: Sendable, Equatable {
    public var people: [Person]
    public var vehicles: [Vehicle]
    public var references: [ReferenceTag]
    public init(people: [Person] = [], vehicles: [Vehicle] = [], references: [ReferenceTag] = []) {
        (self.people, self.vehicles, self.references) = (people, vehicles, references)
    }
}

/// `permit.create`: a work permit as asked for. Whether the zone exists and takes the kind,
/// the people are registered, the id is free and the window has not ended is the engine's to
/// check.
public struct PermitRequest: Sendable, Equatable {
    /// Nil: the engine numbers it.
    public var id: String?
    public var kind: WorkPermit.Kind
    public var zone: String
    public var workers: [String]
    public var guardians: [String]
    public var from: Instant
    public var until: Instant
    public var issuedBy: String?
    public var description: String?
    public init(id: String?, kind: WorkPermit.Kind, zone: String, workers: [String], guardians: [String],
                from: Instant, until: Instant, issuedBy: String? = nil, description: String? = nil) {
        (self.id, self.kind, self.zone, self.workers, self.guardians) = (id, kind, zone, workers, guardians)
        (self.from, self.until, self.issuedBy, self.description) = (from, until, issuedBy, description)
    }
}

/// `muster.start`: the mode, the zones or enterprises it covers (none: the whole site), its id
/// (nil: the engine names it from the time) and who starts it.
public struct MusterStart: Sendable, Equatable {
    public var mode: MusterSession.Mode
    public var scope: [String]
    public var id: String?
    public var by: String?
    public init(mode: MusterSession.Mode, scope: [String] = [], id: String? = nil, by: String? = nil) {
        (self.mode, self.scope, self.id, self.by) = (mode, scope, id, by)
    }
}

/// `muster.mark`: who is safe, who vouches for them, where and with what note.
public struct MusterMark: Sendable, Equatable {
    public var person: String
    public var by: String
    public var point: String?
    public var note: String?
    public init(person: String, by: String, point: String? = nil, note: String? = nil) {
        (self.person, self.by, self.point, self.note) = (person, by, point, note)
    }
}

/// The window of `report.positioning`; the engine fills what is not given from its clock (the
/// last 24 hours up to now).
public struct ReportWindow: Sendable, Equatable {
    public var from: Instant?
    public var to: Instant?
    public init(from: Instant? = nil, to: Instant? = nil) { (self.from, self.to) = (from, to) }
}

/// What `registry.get` asks for: one record, or everything (docs/protocol.md, "registry.get").
public enum RegistryQuery: Sendable, Equatable {
    case reference(String)
    case person(String)
    case plate(String)
    /// Whoever carries the tag.
    case tag(String)
    case everything
}

/// What `registry.remove` removes: people by id, vehicles by plate, reference tags by id.
public struct RegistryRemoval: Sendable, Equatable {
    public var people: [String]
    public var vehicles: [String]
    public var references: [String]

    public init(people: [String], vehicles: [String], references: [String]) {
        (self.people, self.vehicles, self.references) = (people, vehicles, references)
    }
}

/// Whom `whereis` asks about.
public enum WhereisSubject: Sendable, Equatable {
    /// `person` or `id`: a registered person, else a registered vehicle of that plate, else a person.
    case named(String)
    case plate(String)
    /// Whoever carries the tag, or the tag itself.
    case tag(String)
}

/// What `presence` asks for: filters, and whether to list the subjects.
public struct PresenceQuery: Sendable, Equatable {
    /// `person` or `vehicle`.
    public var kind: String?
    public var enterprise: String?
    /// A person's id or a plate.
    public var id: String?
    public var list: Bool

    public init(kind: String? = nil, enterprise: String? = nil, id: String? = nil, list: Bool = true) {
        (self.kind, self.enterprise, self.id, self.list) = (kind, enterprise, id, list)
    }
}

/// What `booking.list` lists: bookings of a plate (normalised), a gate and/or a status.
public struct BookingFilter: Sendable, Equatable {
    public var plate: String?
    public var gate: String?
    public var status: Booking.Status?

    public init(plate: String? = nil, gate: String? = nil, status: Booking.Status? = nil) {
        (self.plate, self.gate, self.status) = (plate, gate, status)
    }
}
