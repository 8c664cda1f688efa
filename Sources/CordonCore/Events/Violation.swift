/// A raised or cleared violation: one published event, and one row of history.
///
/// A condition's identity is `(kind, subject, scope)`; its `id` is the same for the raise and
/// the clear, and survives a restart.
public struct Violation: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case raised, cleared
    }

    /// Who or what the violation is about, as published.
    public struct Subject: Sendable, Equatable, Codable {
        /// `person`, `vehicle`, `tag`, `zone`, or `service` (the service itself: `store-failing`).
        public var kind: String
        public var id: String
        public var name: String?
        public var tag: String?
        public var enterprise: String?

        public init(kind: String, id: String, name: String? = nil, tag: String? = nil, enterprise: String? = nil) {
            self.kind = kind
            self.id = id
            self.name = name
            self.tag = tag
            self.enterprise = enterprise
        }
    }

    /// Where it happened.
    public struct Position: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public var level: Int
        public var lon: Double
        public var lat: Double

        public init(x: Double, y: Double, level: Int, lon: Double, lat: Double) {
            self.x = x
            self.y = y
            self.level = level
            self.lon = lon
            self.lat = lat
        }
    }

    public var id: String
    public var kind: ViolationKind
    public var state: State
    public var severity: Severity
    /// Event time of the cause (the raise, or the clear).
    public var time: Instant
    public var subject: Subject
    public var zoneID: String?
    public var zoneName: String?
    public var position: Position?
    public var details: [String: Value]
    /// The scope of the condition's identity beyond kind and subject (a zone, a gate, a cluster).
    public var scope: String

    public init(
        id: String, kind: ViolationKind, state: State, severity: Severity, time: Instant, subject: Subject,
        zoneID: String? = nil, zoneName: String? = nil, position: Position? = nil, details: [String: Value] = [:],
        scope: String = ""
    ) {
        self.id = id
        self.kind = kind
        self.state = state
        self.severity = severity
        self.time = time
        self.subject = subject
        self.zoneID = zoneID
        self.zoneName = zoneName
        self.position = position
        self.details = details
        self.scope = scope
    }

    /// `violation.<kind>` when raised, `cleared.<kind>` when cleared.
    public var topic: String {
        (state == .raised ? "violation." : "cleared.") + kind.rawValue
    }

    /// The published body (docs/protocol.md, "Published events").
    public func body(site: String) -> Value {
        var o: [String: Value] = [
            "id": .string(id), "site": .string(site), "kind": .string(kind.rawValue), "state": .string(state.rawValue),
            "severity": .string(severity.rawValue), "t": .time(time),
            "subject": .compact([
                "kind": .string(subject.kind), "id": .string(subject.id), "name": .optional(subject.name),
                "tag": .optional(subject.tag), "enterprise": .optional(subject.enterprise),
            ]),
            "details": .object(details),
        ]
        if let zoneID { o["zone"] = .compact(["id": .string(zoneID), "name": .optional(zoneName)]) }
        if let p = position {
            o["position"] = ["x": .number(p.x.rounded(toPlaces: 2)), "y": .number(p.y.rounded(toPlaces: 2)),
                             "level": .int(p.level), "lon": .number(p.lon.rounded(toPlaces: 7)),
                             "lat": .number(p.lat.rounded(toPlaces: 7))]
        }
        return .object(o)
    }
}

extension Double {
    /// Rounded to `places` decimals: published coordinates carry no false precision.
    public func rounded(toPlaces places: Int) -> Double {
        var f = 1.0
        for _ in 0..<places { f *= 10 }
        return (self * f).rounded() / f
    }
}
