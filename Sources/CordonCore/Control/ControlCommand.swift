/// A control request the engine answers, as the edge decoded it: which operation, and the
/// request it came with (docs/protocol.md, "Control requests").
///
/// The op's name is read once, outside the engine, by the service's table of ops
/// (`ControlOp` in CordonService), which also says who may send it and whether it is audited;
/// the engine switches on these cases and never on a string. The members of registry, headcount,
/// whereis and alarm requests are decoded at the edge too, and checked there; the other cases
/// still carry the whole request for the engine to read (typed members replace it family by
/// family).
public enum ControlCommand: Sendable, Equatable {
    case registryUpsert(Value)
    case registryGet(RegistryQuery)
    case registryRemove(RegistryRemoval)
    /// One zone's people, or every zone's count (nil).
    case headcount(zone: String?)
    case whereis(WhereisSubject)
    case presence(Value)
    case parking
    case journey(Value)
    /// The active alarms, of one kind and/or one subject's id when given.
    case alarmsActive(kind: String?, subject: String?)
    case alarmsAck(id: String, by: String)
    case permitCreate(Value)
    case permitClose(Value)
    case permitList(Value)
    case musterStart(Value)
    case musterStatus
    case musterMark(Value)
    case musterEnd(Value)
    case musterList
    case bookingCreate(Value)
    case bookingCancel(Value)
    case bookingList(Value)
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
