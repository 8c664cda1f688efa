/// The work permits the engine knows: issued, running, closed.
public struct PermitBook: Sendable, Equatable {
    public private(set) var permits: [String: WorkPermit] = [:]
    /// Person → ids of the permits naming them, for the per-position guardian check.
    private(set) var byPerson: [String: Set<String>] = [:]

    public init() {}

    /// Any permit at all (most positions need not look further).
    var hasAny: Bool { !permits.isEmpty }

    mutating func put(_ p: WorkPermit) {
        if let old = permits[p.id] {
            for person in old.workers + old.guardians { byPerson[person]?.remove(old.id) }
        }
        permits[p.id] = p
        for person in p.workers + p.guardians { byPerson[person, default: []].insert(p.id) }
    }

    /// True when an active permit for `zone` covers `person` at `t`.
    public func covers(person: String, zone: String, at t: Instant) -> Bool {
        guard let ids = byPerson[person] else { return false }
        return ids.contains { permits[$0]?.covers(person: person, zone: zone, at: t) == true }
    }

    /// Active permits naming `person`, sorted by id.
    func active(naming person: String, at t: Instant) -> [WorkPermit] {
        (byPerson[person] ?? []).compactMap { permits[$0] }.filter { $0.isActive(at: t) }.sorted { $0.id < $1.id }
    }

    /// Forgets permits that ended before `t` more than a day ago (the store keeps the history).
    mutating func prune(before t: Instant) {
        for (id, p) in permits where p.end < t.adding(seconds: -86_400) {
            permits[id] = nil
            for person in p.workers + p.guardians { byPerson[person]?.remove(id) }
        }
    }
}
