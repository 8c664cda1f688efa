import Geometry

/// A designated route for vehicles; the corridor is the line buffered by half its width.
public struct Route: Sendable {
    public var id: String
    public var name: String?
    public var widthM: Double
    public var speedLimitKmh: Double?
    /// Seconds outside the corridor before `route-deviation` is raised.
    public var deviationAfterS: Double
    /// The enterprise it leads to, when the file says.
    public var to: String?
    public var line: Shape
    public var corridor: PreparedShape
}

/// A gate on the fence.
public struct Gate: Sendable {
    /// Who may pass: docs/site-file.md.
    public enum Class: String, Sendable, CaseIterable {
        case staff, general, hazmat, emergency
    }

    public enum AntiPassback: String, Sendable, CaseIterable {
        case off, soft, hard
    }

    public var id: String
    public var name: String?
    public var gateClass: Class
    public var antiPassback: AntiPassback
    /// Qualifications every person entering through this gate must hold (optional property
    /// `requires`; see docs/gates.md).
    public var requires: [String] = []
    public var point: LocalPoint
}

/// A parking lot (the hazmat lot is where trucks may wait).
public struct ParkingLot: Sendable {
    public var id: String
    public var name: String?
    public var capacity: Int?
    public var shape: PreparedShape
}

/// An emergency assembly point.
public struct MusterPoint: Sendable {
    public var id: String
    public var name: String?
    public var shape: PreparedShape
}

/// An enterprise's premises inside the park.
public struct Enterprise: Sendable {
    public var id: String
    public var name: String?
    public var shape: PreparedShape
}
