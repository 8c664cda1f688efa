/// A control request the engine answers, as the edge decoded it: which operation, and the
/// request it came with (docs/protocol.md, "Control requests").
///
/// The op's name is read once, outside the engine, by the service's table of ops
/// (`ControlOp` in CordonService), which also says who may send it and whether it is audited;
/// the engine switches on these cases and never on a string. The members of most requests are
/// decoded and checked at the edge too; those whose checks depend on live state in between
/// (registry.upsert, permit.create, the muster's start and marks, booking.create, the
/// positioning report) still carry the whole request for the engine to read.
public enum ControlCommand: Sendable, Equatable {
    case registryUpsert(Value)
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
    case permitCreate(Value)
    case permitClose(id: String, by: String?)
    /// The permits, of one zone when given, only those in force when asked.
    case permitList(zone: String?, activeOnly: Bool)
    case musterStart(Value)
    case musterStatus
    case musterMark(Value)
    case musterEnd(by: String?)
    case musterList
    case bookingCreate(Value)
    case bookingCancel(id: String)
    case bookingList(BookingFilter)
    case reportPositioning(Value)
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
