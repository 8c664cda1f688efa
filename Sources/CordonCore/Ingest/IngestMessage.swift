/// One decoded ingest message (docs/protocol.md, "Ingest messages").
public enum IngestMessage: Sendable, Equatable {
    case position(PositionReport)
    case alert(TagAlert)
    case gate(GatePassage)

    /// The message's event time.
    public var time: Instant {
        switch self {
        case .position(let p): return p.time
        case .alert(let a): return a.time
        case .gate(let g): return g.time
        }
    }
}

/// Who a position or alert is about, as the source names it.
public enum SourceID: Hashable, Sendable {
    /// A personnel tag or a vehicle terminal, mapped by the registry.
    case tag(String)
    /// A vehicle's licence plate.
    case plate(String)
}

/// Where a position is, as the source gives it.
public enum Place: Hashable, Sendable {
    /// Metres in an RTLS frame; `frame` nil means the site's local frame.
    case local(x: Double, y: Double, frame: String?)
    /// WGS84 degrees.
    case wgs84(lon: Double, lat: Double)
}

/// A tag or GNSS terminal's position fix.
public struct PositionReport: Sendable, Equatable {
    public var source: SourceID
    public var time: Instant
    public var place: Place
    /// Floor; 0 when the message has none.
    public var level: Int
    /// The source's own estimate of the fix's error radius in metres (nil: not given).
    public var accuracyM: Double?
    public var speedKmh: Double?
    public var headingDeg: Double?
    public var batteryPct: Double?
    public var moving: Bool?

    public init(
        source: SourceID, time: Instant, place: Place, level: Int = 0, accuracyM: Double? = nil,
        speedKmh: Double? = nil, headingDeg: Double? = nil, batteryPct: Double? = nil, moving: Bool? = nil
    ) {
        self.source = source
        self.time = time
        self.place = place
        self.level = level
        self.accuracyM = accuracyM
        self.speedKmh = speedKmh
        self.headingDeg = headingDeg
        self.batteryPct = batteryPct
        self.moving = moving
    }
}

extension PositionReport {
    /// The largest `accuracy_m` taken: beyond it a fix says nothing about where anyone is, and
    /// such a number is far more likely a unit or encoding error than a measurement.
    public static let maxAccuracyM = 1000.0
    /// The largest `speed_kmh` taken: no vehicle in a park reports more, and a larger number
    /// (a unit error, a corrupt fix) must not reach the rules, the store or a platform.
    public static let maxSpeedKmh = 1000.0
}

/// An alert button or sensor event from a personnel tag.
public struct TagAlert: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case sos, fall, tamper, cancel
    }

    public var tag: String
    public var time: Instant
    public var kind: Kind

    public init(tag: String, time: Instant, kind: Kind) {
        self.tag = tag
        self.time = time
        self.kind = kind
    }
}

/// One passage through a gate, as its controller reports it.
public struct GatePassage: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable {
        case `in`, out
    }

    /// What was presented at the gate.
    public enum Credential: Hashable, Sendable {
        case person(String)
        case card(String)
        case plate(String)
    }

    public var gate: String
    public var time: Instant
    public var direction: Direction
    public var credential: Credential
    /// A positioning tag issued (in) or returned (out) at this passage.
    public var tag: String?
    /// People the gate's sensor counted through on this credential.
    public var count: Int?
    public var plateColor: String?
    /// What the physical gate did when it decided by itself.
    public var granted: Bool?

    public init(
        gate: String, time: Instant, direction: Direction, credential: Credential, tag: String? = nil,
        count: Int? = nil, plateColor: String? = nil, granted: Bool? = nil
    ) {
        self.gate = gate
        self.time = time
        self.direction = direction
        self.credential = credential
        self.tag = tag
        self.count = count
        self.plateColor = plateColor
        self.granted = granted
    }
}
