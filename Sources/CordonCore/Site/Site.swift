import Foundation
import Geometry

/// A loaded, validated site: every geofence prepared and indexed, ready for the engine.
///
/// Built once by ``SiteLoader`` (at start and on `site.reload`), then only read. It holds GEOS
/// objects and is queried from the engine's thread alone.
public final class Site: @unchecked Sendable {
    public let id: String
    public let name: String?
    public let frame: LocalFrame
    public let timeZone: TimeZone
    public let settings: SiteSettings
    public let frames: [String: FrameTransform]
    /// Each RTLS frame's `accuracy_m`: the error radius of its fixes that give none.
    public let frameAccuracyM: [String: Double]
    /// The strictest requirement of any zone: a fix at least this good decides every zone.
    let minRequiredAccuracyM: Double
    public let boundary: PreparedShape
    /// The boundary classified by cells: what every position's "inside the fence?" asks
    /// (CoveredCells.swift), the same answers without GEOS away from the fence line.
    public let fence: CoveredCells
    public let zones: [Zone]
    public let routes: [String: Route]
    public let gates: [String: Gate]
    public let parking: [String: ParkingLot]
    public let musterPoints: [String: MusterPoint]
    public let enterprises: [String: Enterprise]
    /// Socket addresses and CURVE settings given in the file (`cordon.addresses`), if any.
    public let addresses: [String: String]
    /// The site file as it was read, for `site.get`.
    public let document: Value

    let zoneIndex: SpatialIndex
    let zonesByID: [String: Int]
    /// The largest exit tolerance of any zone: how far around a point to look for zones held.
    let maxExitTolerance: Double
    /// Positions farther than this outside the fence are refused.
    let acceptBounds: Bounds

    init(
        id: String, name: String?, frame: LocalFrame, timeZone: TimeZone, settings: SiteSettings,
        frames: [String: FrameTransform], frameAccuracyM: [String: Double] = [:], boundary: PreparedShape, zones: [Zone], routes: [String: Route],
        gates: [String: Gate], parking: [String: ParkingLot], musterPoints: [String: MusterPoint],
        enterprises: [String: Enterprise], addresses: [String: String], document: Value
    ) throws(GeometryError) {
        self.id = id
        self.name = name
        self.frame = frame
        self.timeZone = timeZone
        self.settings = settings
        self.frames = frames
        self.frameAccuracyM = frameAccuracyM
        self.minRequiredAccuracyM = zones.map(\.requiredAccuracyM).min() ?? .infinity
        self.boundary = boundary
        self.fence = CoveredCells(boundary)
        self.zones = zones
        self.routes = routes
        self.gates = gates
        self.parking = parking
        self.musterPoints = musterPoints
        self.enterprises = enterprises
        self.addresses = addresses
        self.document = document
        self.zoneIndex = try SpatialIndex(zones.map { (shape: $0.shape.shape, payload: $0.index) })
        self.zonesByID = Dictionary(zones.map { ($0.id, $0.index) }, uniquingKeysWith: { a, _ in a })
        self.maxExitTolerance = zones.map(\.exitToleranceM).max() ?? 0
        self.acceptBounds = boundary.shape.bounds.expanded(by: 1000)
    }

    /// The zone with this id.
    public func zone(_ id: String) -> Zone? { zonesByID[id].map { zones[$0] } }

    /// Where a reported place is in the site's local metres, or why it cannot be used.
    public func locate(_ place: Place) -> Result<LocalPoint, RejectReason> {
        let p: LocalPoint
        switch place {
        case .local(let x, let y, let frameName):
            if let frameName {
                guard let f = frames[frameName] else { return .failure(.unknownFrame(frameName)) }
                p = f.apply(LocalPoint(x: x, y: y))
            } else {
                p = LocalPoint(x: x, y: y)
            }
        case .wgs84(let lon, let lat):
            guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                return .failure(.outOfBounds("lon/lat \(lon), \(lat) are not WGS84 degrees"))
            }
            p = frame.toLocal(LonLat(lon: lon, lat: lat))
        }
        guard p.x.isFinite, p.y.isFinite, acceptBounds.contains(p) else {
            return .failure(.outOfBounds(
                "position (\(Bounded.describe(p.x)), \(Bounded.describe(p.y))) m is more than 1 km outside the site's bounds"))
        }
        return .success(p)
    }

    /// The error radius that counts for a fix: its own `accuracy_m`, else its frame's default,
    /// else none (a fix without one decides as it always did).
    @inline(__always)
    public func accuracy(of r: PositionReport) -> Double? {
        if let a = r.accuracyM { return a }
        guard !frameAccuracyM.isEmpty, case .local(_, _, let f?) = r.place else { return nil }
        return frameAccuracyM[f]
    }

    /// Seconds east of UTC in the site's time zone at `t` (dates in the registry end at local midnight).
    public func utcOffset(at t: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t.milliseconds) / 1000))
    }

    /// The severity of a kind, honouring the site's overrides.
    public func severity(of kind: ViolationKind, default d: Severity) -> Severity {
        settings.severity[kind.rawValue] ?? d
    }

    /// Indices of zones that may hold a point within `distance` of `p` (envelope test only).
    @inline(__always)
    func forEachZoneCandidate(at p: LocalPoint, within distance: Double, _ body: (Int) -> Void) {
        zoneIndex.forEachCandidate(at: p, within: distance, body)
    }

    /// The first zone (in file order) that holds `p` on `level`, by the zone's shape alone: for
    /// describing a point, not for deciding membership (which has tolerances and dwell).
    public func firstZoneID(at p: LocalPoint, level: Int) -> String? {
        var best: Int?
        forEachZoneCandidate(at: p, within: 0) { i in
            let z = zones[i]
            guard z.level == nil || z.level == level, best.map({ i < $0 }) ?? true, z.shape.covers(p) else { return }
            best = i
        }
        return best.map { zones[$0].id }
    }

    /// The enterprise whose premises contain `p`.
    public func enterprise(at p: LocalPoint) -> String? {
        enterprises.values.sorted { $0.id < $1.id }.first { $0.shape.covers(p) }?.id
    }

    /// A counted summary, for `check-site` and logs.
    public var summary: String {
        let area = boundary.shape.area / 1_000_000
        let b = boundary.shape.bounds
        var s = "site \(id)"
        if let name { s += " (\(name))" }
        s += String(format: ": %.0f m × %.0f m, %.2f km²\n", b.maxX - b.minX, b.maxY - b.minY, area)
        let byAccess = Dictionary(grouping: zones, by: \.access).mapValues(\.count)
        s += "  \(zones.count) zones (" + Zone.Access.allCases.map { "\(byAccess[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + ")\n"
        s += "  \(routes.count) routes, \(gates.count) gates, \(parking.count) parking lots, "
        s += "\(musterPoints.count) muster points, \(enterprises.count) enterprises, \(frames.count) RTLS frames\n"
        s += "  time zone \(timeZone.identifier), origin \(frame.origin.lon), \(frame.origin.lat)"
        return s
    }
}
