import Geometry

/// The bodies of the `muster.*` events and of `muster.status` / `muster.end` replies.
enum MusterReport {
    /// Where a missing person was last seen, for the search.
    struct LastSeen {
        var person: String
        var position: Violation.Position?
        var time: Instant?
        var zone: Zone?
    }

    static func riskRank(_ z: Zone?) -> Int {
        switch z?.risk {
        case .red?: return 0
        case .orange?: return 1
        case .yellow?: return 2
        case .blue?: return 3
        case nil: return 4
        }
    }

    static func progress(_ m: MusterSession, at t: Instant, site: String) -> [String: Value] {
        [
            "muster": .string(m.id), "site": .string(site), "t": .time(t), "mode": .string(m.mode.rawValue),
            "total": .int(m.total), "accounted": .int(m.accountedCount), "missing": .int(m.total - m.accountedCount),
            "by_point": .object(m.byPoint.mapValues { .int($0) }),
            "elapsed_s": .number(t.seconds(since: m.startedAt)),
            "late_entries": .int(m.roster.values.filter(\.lateEntry).count),
        ]
    }

    /// The missing, the most dangerous last-known zone first, then the longest unseen.
    static func missing(_ m: MusterSession, lastSeen: (String) -> LastSeen, registry: Registry, at t: Instant) -> [Value] {
        let seen = m.roster.values.filter { !$0.isAccounted }.map { lastSeen($0.person) }
        let ordered = seen.sorted {
            (riskRank($0.zone), $0.time ?? Instant(milliseconds: Int64.min), $0.person)
                < (riskRank($1.zone), $1.time ?? Instant(milliseconds: Int64.min), $1.person)
        }
        return ordered.map { s in
            let p = registry.people[s.person]
            var o: [String: Value] = [
                "id": .string(s.person), "name": .optional(p?.name), "enterprise": .optional(p?.enterprise),
                "tag": .optional(p?.tag), "late_entry": .bool(m.roster[s.person]?.lateEntry ?? false),
            ]
            if let pos = s.position {
                o["last_position"] = ["x": .number(pos.x.rounded(toPlaces: 2)), "y": .number(pos.y.rounded(toPlaces: 2)),
                                      "level": .int(pos.level), "lon": .number(pos.lon.rounded(toPlaces: 7)),
                                      "lat": .number(pos.lat.rounded(toPlaces: 7))]
                o["level"] = .int(pos.level)
            }
            if let time = s.time {
                o["last_seen_at"] = .time(time)
                o["age_s"] = .number(t.seconds(since: time))
            }
            if let z = s.zone {
                o["zone"] = .compact(["id": .string(z.id), "name": .optional(z.name), "risk": .optional(z.risk?.rawValue)])
            }
            return .compact(o)
        }
    }

    static func accounted(_ m: MusterSession, registry: Registry) -> [Value] {
        m.roster.values.filter(\.isAccounted)
            .sorted { ($0.accountedAt ?? m.startedAt, $0.person) < ($1.accountedAt ?? m.startedAt, $1.person) }
            .map { e in
                .compact([
                    "id": .string(e.person), "name": .optional(registry.people[e.person]?.name),
                    "enterprise": .optional(registry.people[e.person]?.enterprise),
                    "at": e.accountedAt.map(Value.time) ?? .null, "point": .optional(e.point),
                    "marked_by": .optional(e.markedBy), "note": .optional(e.note), "late_entry": .bool(e.lateEntry),
                ])
            }
    }

    /// The final report (also the `muster.status` body while running).
    static func full(_ m: MusterSession, at t: Instant, site: String, lastSeen: (String) -> LastSeen, registry: Registry) -> [String: Value] {
        var r = progress(m, at: t, site: site)
        r["id"] = .string(m.id)
        r["scope"] = .array(m.scope.map(Value.string))
        r["started_at"] = .time(m.startedAt)
        r["started_by"] = .optional(m.startedBy)
        r["ended_at"] = m.endedAt.map(Value.time) ?? .null
        r["ended_by"] = .optional(m.endedBy)
        r["roster"] = .array(m.roster.keys.sorted().map { .string($0) })
        r["accounted_people"] = .array(accounted(m, registry: registry))
        r["missing_people"] = .array(missing(m, lastSeen: lastSeen, registry: registry, at: t))
        r["time_to_90_s"] = m.secondsTo(0.9).map(Value.number) ?? .null
        r["time_to_100_s"] = m.secondsTo(1.0).map(Value.number) ?? .null
        return r
    }
}
