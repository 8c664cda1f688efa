/// A work permit (作业票): who may work in a zone, under whose watch, and when.
///
/// The eight kinds are the special operations of GB 30871 (化学品生产单位特殊作业安全规范).
public struct WorkPermit: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case hotWork = "hot-work"
        case confinedSpace = "confined-space"
        case workAtHeight = "work-at-height"
        case lifting
        case temporaryElectricity = "temporary-electricity"
        case excavation
        case blindPlate = "blind-plate"
        case roadBreak = "road-break"
    }

    public var id: String
    public var kind: Kind
    /// The zone id the work is in.
    public var zone: String
    public var workers: [String]
    /// 监护人: they must stay with the workers.
    public var guardians: [String]
    public var from: Instant
    public var until: Instant
    public var issuedBy: String?
    public var description: String?
    public var closedAt: Instant?
    public var closedBy: String?

    /// In force at `t`: inside its window and not closed.
    public func isActive(at t: Instant) -> Bool {
        from <= t && t < until && (closedAt.map { t < $0 } ?? true)
    }

    /// Covers `person` (worker or guardian) in `zone` at `t`.
    public func covers(person: String, zone z: String, at t: Instant) -> Bool {
        zone == z && isActive(at: t) && (workers.contains(person) || guardians.contains(person))
    }

    /// When it stops being in force.
    public var end: Instant { closedAt.map { min($0, until) } ?? until }
}
