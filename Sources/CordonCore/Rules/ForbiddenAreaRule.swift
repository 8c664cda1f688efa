import Geometry

/// `forbidden-area`: a vehicle inside a zone closed to it (`vehicles: forbidden`, or
/// `hazmat-forbidden` for a hazmat truck), or whose straight path between two fixes crosses one.
///
/// GNSS terminals report every 10–30 s, so a truck can cut through a tank farm between two
/// fixes. Inside: a lasting condition, raised at the entry fix, cleared at the exit fix. A
/// crossing seen only from the path: an event, raised at the later fix, ended by `alarms.ack`.
enum ForbiddenAreaRule {
    static func isClosed(_ zone: Zone, to vehicle: Vehicle?) -> Bool {
        switch zone.vehicles {
        case .allowed: return false
        case .forbidden: return true
        case .hazmatForbidden: return vehicle?.kind == .hazmat
        }
    }

    static func entered(_ key: SubjectKey, vehicle: Vehicle?, zone: Zone, at t: Instant, position: Violation.Position,
                        context c: inout RuleContext) {
        guard isClosed(zone, to: vehicle) else { return }
        c.raise(.forbiddenArea, subject: key, scope: zone.id, at: t, zone: zone, position: position,
                details: ["vehicles": .string(zone.vehicles.rawValue), "how": "inside"], severity: .critical)
    }

    static func exited(_ key: SubjectKey, zone: Zone, at t: Instant, position: Violation.Position, context c: inout RuleContext) {
        c.alarms.clear(.forbiddenArea, .init(key), scope: zone.id, at: t, position: position)
    }

    /// The path from the previous fix to this one: every closed zone it crosses that neither fix is in.
    static func path(
        _ key: SubjectKey, vehicle: Vehicle?, from a: LocalPoint, fromTime: Instant, to b: LocalPoint, at t: Instant,
        insideNow: [Int], position: Violation.Position, context c: inout RuleContext
    ) {
        let bounds = Bounds(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        for idx in c.site.zoneIndex.candidates(in: bounds) where !insideNow.contains(idx) {
            let zone = c.site.zones[idx]
            guard isClosed(zone, to: vehicle), !zone.shape.contains(a), zone.shape.intersects(segmentFrom: a, to: b) else { continue }
            c.raise(.forbiddenArea, subject: key, scope: "crossing:\(zone.id)@\(t.milliseconds)", at: t, zone: zone,
                    position: position,
                    details: ["vehicles": .string(zone.vehicles.rawValue), "how": "path crossed between two fixes",
                              "from_fix_at": .time(fromTime), "gap_s": .number(t.seconds(since: fromTime))],
                    severity: .critical)
        }
    }
}
