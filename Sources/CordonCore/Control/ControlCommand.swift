/// A control request the engine answers, as the edge decoded it: which operation, and the
/// request it came with (docs/protocol.md, "Control requests").
///
/// The op's name is read once, outside the engine, by the service's table of ops
/// (`ControlOp` in CordonService), which also says who may send it and whether it is audited;
/// the engine switches on these cases and never on a string. Each case still carries the whole
/// request for its members to be read by the engine: typed members replace it family by
/// family (issue "The house", item 1).
public enum ControlCommand: Sendable, Equatable {
    case registryUpsert(Value)
    case registryGet(Value)
    case registryRemove(Value)
    case headcount(Value)
    case whereis(Value)
    case presence(Value)
    case parking
    case journey(Value)
    case alarmsActive(Value)
    case alarmsAck(Value)
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
