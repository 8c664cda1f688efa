import Geometry

/// `lone-worker` for a permit with guardians (监护人): while a worker is inside the permit's
/// zone, one of the permit's guardians must be in the same zone or within the site's
/// `guardian_distance_m` of the worker (same floor). Away for longer than
/// `lone_worker_grace_s`, and the worker is flagged, with the permit in the details; cleared
/// when a guardian is back within reach, the worker leaves the zone, or the permit ends.
struct GuardianRule {
    struct Watch: Hashable {
        var permit: String
        var worker: String
    }

    /// Workers inside their permit's zone with no guardian in reach, since when.
    private(set) var unguarded: [Watch: Instant] = [:]

    /// Puts back a worker unguarded since `since` (after a restart).
    mutating func restore(_ w: Watch, since: Instant) { unguarded[w] = since }

    /// Re-evaluates one permit at `t`; returns the instants at which to check again.
    mutating func evaluate(
        permit p: WorkPermit, at t: Instant, locate: (String) -> (point: LocalPoint, level: Int, zones: [String])?,
        settings: SiteSettings, position: (String) -> Violation.Position?, context c: inout RuleContext
    ) -> [(Watch, Instant)] {
        var checks: [(Watch, Instant)] = []
        for worker in p.workers.sorted() {
            let w = Watch(permit: p.id, worker: worker)
            guard !p.guardians.isEmpty, p.isActive(at: t), let wl = locate(worker), wl.zones.contains(p.zone) else {
                end(w, at: t, position: position(worker), context: &c)
                continue
            }
            let nearest = p.guardians.compactMap { g -> Double? in
                guard let gl = locate(g), gl.level == wl.level else { return nil }
                return gl.zones.contains(p.zone) ? 0 : gl.point.distance(to: wl.point)
            }.min()
            if let d = nearest, d <= settings.guardianDistanceM {
                end(w, at: t, position: position(worker), context: &c)
            } else if unguarded[w] == nil {
                unguarded[w] = t
                checks.append((w, t.adding(seconds: settings.loneWorkerGraceS)))
            }
        }
        return checks
    }

    /// The clock reached a check for a worker.
    func check(_ w: Watch, permit p: WorkPermit, at t: Instant, settings: SiteSettings, position: Violation.Position?,
               nearestGuardianM: Double?, context c: inout RuleContext) {
        guard let since = unguarded[w], t.seconds(since: since) >= settings.loneWorkerGraceS,
              let zone = c.site.zone(p.zone) else { return }
        var details: [String: Value] = [
            "reason": "no guardian within reach", "permit": .string(p.id), "permit_kind": .string(p.kind.rawValue),
            "guardians": .array(p.guardians.map(Value.string)), "unguarded_since": .time(since),
            "guardian_distance_m": .number(settings.guardianDistanceM),
        ]
        if let d = nearestGuardianM { details["nearest_guardian_m"] = .number(d.rounded(toPlaces: 1)) }
        c.raise(.loneWorker, subject: SubjectKey.person(w.worker), scope: "permit:\(p.id)", at: t, zone: zone,
                position: position, details: details)
    }

    private mutating func end(_ w: Watch, at t: Instant, position: Violation.Position?, context c: inout RuleContext) {
        guard unguarded.removeValue(forKey: w) != nil else { return }
        c.alarms.clear(.loneWorker, .init(.person(w.worker)), scope: "permit:\(w.permit)", at: t, position: position)
    }
}
