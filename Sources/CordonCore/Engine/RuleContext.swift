import Geometry

/// What every rule reads (the site, the registry) and writes (the alarm book).
///
/// The engine owns exactly one; rules receive it `inout`, so there is one place where
/// violations are made and one order in which they come out.
struct RuleContext {
    var site: Site
    var registry: Registry
    var alarms = AlarmBook()

    /// Who a violation is about.
    enum Who {
        case subject(SubjectKey)
        case zone(Zone)
        case tag(String)
        /// A place that is not a zone (a parking lot), published as subject kind `zone`.
        case area(id: String, name: String?)
        /// The service itself (a part of it, such as its store), published as subject kind `service`.
        case service(id: String, name: String)
    }

    init(site: Site, registry: Registry) {
        self.site = site
        self.registry = registry
    }

    /// How a subject appears in a published event. Inlined so that a caller holding the context
    /// in a class reads the registry in place instead of copying the whole context.
    @inline(__always)
    func describe(_ key: SubjectKey, tag: String? = nil) -> Violation.Subject {
        switch key {
        case .person(let id):
            let p = registry.people[id]
            return .init(kind: "person", id: id, name: p?.name, tag: tag ?? p?.tag, enterprise: p?.enterprise)
        case .vehicle(let plate):
            let v = registry.vehicles[plate]
            return .init(kind: "vehicle", id: plate, name: nil, tag: tag ?? v?.tag, enterprise: v?.enterprise)
        case .tag(let t):
            return .init(kind: "tag", id: t, tag: t)
        }
    }

    /// A published position for a local point.
    func position(_ p: LocalPoint, level: Int) -> Violation.Position {
        let g = site.frame.toLonLat(p)
        return .init(x: p.x, y: p.y, level: level, lon: g.lon, lat: g.lat)
    }

    /// Raises a condition (once) with the site's severity for its kind.
    mutating func raise(
        _ kind: ViolationKind, subject who: Who, scope: String, at t: Instant, zone: Zone?, position: Violation.Position?,
        details: [String: Value], severity: Severity? = nil, tag: String? = nil
    ) {
        let subject: Violation.Subject
        switch who {
        case .subject(let key): subject = describe(key, tag: tag)
        case .zone(let z): subject = .init(kind: "zone", id: z.id, name: z.name, enterprise: z.enterprise)
        case .tag(let t): subject = .init(kind: "tag", id: t, tag: t)
        case .area(let id, let name): subject = .init(kind: "zone", id: id, name: name)
        case .service(let id, let name): subject = .init(kind: "service", id: id, name: name)
        }
        let sev = site.settings.severity[kind.rawValue] ?? severity ?? kind.defaultSeverity
        alarms.raise(Violation(
            id: "", kind: kind, state: .raised, severity: sev, time: t, subject: subject, zoneID: zone?.id,
            zoneName: zone?.name, position: position, details: details, scope: scope))
    }

    mutating func raise(
        _ kind: ViolationKind, subject key: SubjectKey, scope: String, at t: Instant, zone: Zone?,
        position: Violation.Position?, details: [String: Value], severity: Severity? = nil, tag: String? = nil
    ) {
        raise(kind, subject: .subject(key), scope: scope, at: t, zone: zone, position: position, details: details,
              severity: severity, tag: tag)
    }
}
