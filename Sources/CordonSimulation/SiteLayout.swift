import Foundation
import Geometry

/// The walking and driving plan of a site in local metres, as `tools/make-demo-park.py` writes
/// it next to the site file (`tools/demo-park-layout.json`): for each enterprise its zones with
/// a point well inside each and a walking path from the plant entrance, the gates, the vehicle
/// routes, the parking lots and the muster points.
///
/// The site file says where things are; the layout says how people get there without crossing
/// a zone they have no business in. The traffic simulator needs both.
public struct SiteLayout: Sendable {
    /// A zone as the layout describes it: where to stand inside, and how to walk there.
    public struct Zone: Sendable {
        public var id: String
        public var name: String
        /// What the place is for: `office`, `canteen`, `control-room`, `process-unit`, `tank-farm`…
        public var use: String
        public var risk: String
        public var access: String
        public var roles: [String]
        public var requires: [String]
        public var maxPeople: Int?
        /// The floor the zone applies to; nil for every floor.
        public var level: Int?
        /// A point well inside the zone: `clearance` metres from its boundary.
        public var point: LocalPoint
        public var clearance: Double
        /// From the enterprise's entrance (or, for park zones, from inside gate G1) to `point`.
        public var path: [LocalPoint]
        /// Restricted zones the path has to cross (a target inside another zone's hole).
        public var pathCrosses: [String]
        /// The RTLS frame that covers the zone, when its positions come from a local system.
        public var frame: String?
        /// The enterprise it belongs to; nil for the park's own zones.
        public var enterprise: String?
    }

    /// A tenant's plot: its entrance, its zones and its muster point.
    public struct Enterprise: Sendable {
        public var id: String
        public var name: String
        /// Just inside the plant entrance: where every zone path starts.
        public var entrance: LocalPoint
        /// Just outside the entrance: where the park's walking paths end.
        public var entranceOutside: LocalPoint
        public var muster: String
        public var musterPath: [LocalPoint]
        public var zones: [Zone]
    }

    /// A gate on the fence, and a point just inside it.
    public struct Gate: Sendable {
        public var id: String
        public var gateClass: String
        public var point: LocalPoint
        public var inside: LocalPoint
    }

    /// A designated hazmat route, from its gate to its enterprise's loading bay.
    public struct Route: Sendable {
        public var id: String
        public var from: String
        public var to: String
        public var destinationZone: String
        public var speedLimitKmh: Double
        public var points: [LocalPoint]
    }

    /// A parking lot or muster point: an area with a point well inside it.
    public struct Area: Sendable {
        public var id: String
        public var point: LocalPoint
        public var clearance: Double
    }

    /// A road by its centreline: what vehicles without a designated route drive along.
    public struct Road: Sendable {
        public var id: String
        public var widthM: Double
        public var centreline: [LocalPoint]
    }

    /// An RTLS frame: a frame point (u, v) is turned by `rotationDegrees`, then shifted by `offset`.
    public struct Frame: Sendable {
        public var id: String
        public var transform: FrameTransform
    }

    public var site: String
    public var origin: LonLat
    public var timezone: String
    public var frames: [Frame]
    public var roads: [Road]
    /// Sorted by id, here and below, so that whatever walks these lists does so in one order.
    public var gates: [Gate]
    public var enterprises: [Enterprise]
    public var parkZones: [Zone]
    /// Walking paths between a gate and an enterprise or parking lot, keyed `"G1>E01"`, `"G3>P-STAFF"`.
    public var paths: [String: [LocalPoint]]
    public var routes: [Route]
    public var parking: [Area]
    public var muster: [Area]

    /// Every zone: the enterprises' in order, then the park's.
    public var zones: [Zone] { enterprises.flatMap(\.zones) + parkZones }

    public func gate(_ id: String) -> Gate? { gates.first { $0.id == id } }
    public func enterprise(_ id: String) -> Enterprise? { enterprises.first { $0.id == id } }
    public func route(_ id: String) -> Route? { routes.first { $0.id == id } }
    public func frame(_ id: String) -> Frame? { frames.first { $0.id == id } }

    /// Why a layout file could not be used.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a layout file.
    public static func load(path: String) throws(Failure) -> SiteLayout {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(description: "cannot read the layout file \(path): \(error.localizedDescription)")
        }
        return try decode(data, name: path)
    }

    /// Reads a layout from JSON text.
    public static func decode(_ data: Data, name: String = "the layout") throws(Failure) -> SiteLayout {
        let file: LayoutFile
        do {
            file = try JSONDecoder().decode(LayoutFile.self, from: data)
        } catch {
            throw Failure(description: "\(name) is not a site layout (tools/make-demo-park.py writes one): \(error)")
        }
        return try file.layout(name: name)
    }
}

// MARK: - The file's shape

/// The JSON of the layout file, decoded as it is written; ``SiteLayout`` is what it means.
private struct LayoutFile: Decodable {
    struct FrameJSON: Decodable {
        var offset_m: [Double]
        var rotation_deg: Double
    }

    struct GateJSON: Decodable {
        var `class`: String
        var xy: [Double]
        var inside: [Double]
    }

    struct ZoneJSON: Decodable {
        var id: String
        var name: String
        var use: String
        var risk: String
        var access: String
        var roles: [String]?
        var requires: [String]?
        var max_people: Int?
        var level: Int?
        var point: [Double]
        var clearance_m: Double
        var path: [[Double]]
        var path_crosses: [String]?
        var frame: String?
    }

    struct EnterpriseJSON: Decodable {
        var name: String
        var entrance: [Double]
        var entrance_outside: [Double]
        var muster: String
        var muster_path: [[Double]]
        var zones: [ZoneJSON]
    }

    struct RouteJSON: Decodable {
        var from: String
        var to: String
        var destination_zone: String
        var speed_limit_kmh: Double
        var points: [[Double]]
    }

    struct RoadJSON: Decodable {
        var width_m: Double
        var centreline: [[Double]]
    }

    struct AreaJSON: Decodable {
        var point: [Double]
        var clearance_m: Double
    }

    var site: String
    var origin: [Double]
    var timezone: String
    var frames: [String: FrameJSON]?
    var roads: [String: RoadJSON]?
    var gates: [String: GateJSON]
    var enterprises: [String: EnterpriseJSON]
    var park_zones: [ZoneJSON]?
    var paths: [String: [[Double]]]?
    var routes: [String: RouteJSON]?
    var parking: [String: AreaJSON]?
    var muster: [String: AreaJSON]?

    func layout(name: String) throws(SiteLayout.Failure) -> SiteLayout {
        func pt(_ a: [Double], _ what: String) throws(SiteLayout.Failure) -> LocalPoint {
            guard a.count == 2, a[0].isFinite, a[1].isFinite else {
                throw SiteLayout.Failure(description: "\(name): \(what) must be a point [x, y] in metres")
            }
            return LocalPoint(x: a[0], y: a[1])
        }
        func line(_ a: [[Double]], _ what: String) throws(SiteLayout.Failure) -> [LocalPoint] {
            var out: [LocalPoint] = []
            for p in a { out.append(try pt(p, what)) }
            guard out.count >= 2 else { throw SiteLayout.Failure(description: "\(name): \(what) needs at least two points") }
            return out
        }
        func zone(_ z: ZoneJSON, enterprise: String?) throws(SiteLayout.Failure) -> SiteLayout.Zone {
            SiteLayout.Zone(
                id: z.id, name: z.name, use: z.use, risk: z.risk, access: z.access, roles: z.roles ?? [],
                requires: z.requires ?? [], maxPeople: z.max_people, level: z.level,
                point: try pt(z.point, "zone \(z.id) point"), clearance: z.clearance_m,
                path: try line(z.path, "zone \(z.id) path"), pathCrosses: z.path_crosses ?? [], frame: z.frame,
                enterprise: enterprise)
        }
        guard origin.count == 2 else { throw SiteLayout.Failure(description: "\(name): origin must be [lon, lat]") }
        var enterprises: [SiteLayout.Enterprise] = []
        for (id, e) in self.enterprises.sorted(by: { $0.key < $1.key }) {
            var zones: [SiteLayout.Zone] = []
            for z in e.zones { zones.append(try zone(z, enterprise: id)) }
            enterprises.append(SiteLayout.Enterprise(
                id: id, name: e.name, entrance: try pt(e.entrance, "\(id) entrance"),
                entranceOutside: try pt(e.entrance_outside, "\(id) entrance_outside"), muster: e.muster,
                musterPath: try line(e.muster_path, "\(id) muster_path"), zones: zones))
        }
        var parkZones: [SiteLayout.Zone] = []
        for z in park_zones ?? [] { parkZones.append(try zone(z, enterprise: nil)) }
        var gates: [SiteLayout.Gate] = []
        for (id, g) in self.gates.sorted(by: { $0.key < $1.key }) {
            gates.append(SiteLayout.Gate(id: id, gateClass: g.class, point: try pt(g.xy, "gate \(id)"),
                                         inside: try pt(g.inside, "gate \(id) inside")))
        }
        var paths: [String: [LocalPoint]] = [:]
        for (k, p) in self.paths ?? [:] { paths[k] = try line(p, "path \(k)") }
        var routes: [SiteLayout.Route] = []
        for (id, r) in (self.routes ?? [:]).sorted(by: { $0.key < $1.key }) {
            routes.append(SiteLayout.Route(id: id, from: r.from, to: r.to, destinationZone: r.destination_zone,
                                           speedLimitKmh: r.speed_limit_kmh, points: try line(r.points, "route \(id)")))
        }
        func areas(_ m: [String: AreaJSON]?) throws(SiteLayout.Failure) -> [SiteLayout.Area] {
            var out: [SiteLayout.Area] = []
            for (id, a) in (m ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.append(SiteLayout.Area(id: id, point: try pt(a.point, "\(id) point"), clearance: a.clearance_m))
            }
            return out
        }
        var frames: [SiteLayout.Frame] = []
        for (id, f) in (self.frames ?? [:]).sorted(by: { $0.key < $1.key }) {
            frames.append(SiteLayout.Frame(
                id: id, transform: FrameTransform(offset: try pt(f.offset_m, "frame \(id) offset_m"), rotationDegrees: f.rotation_deg)))
        }
        var roads: [SiteLayout.Road] = []
        for (id, r) in (self.roads ?? [:]).sorted(by: { $0.key < $1.key }) {
            roads.append(SiteLayout.Road(id: id, widthM: r.width_m, centreline: try line(r.centreline, "road \(id)")))
        }
        return SiteLayout(
            site: site, origin: LonLat(lon: origin[0], lat: origin[1]), timezone: timezone, frames: frames, roads: roads,
            gates: gates,
            enterprises: enterprises, parkZones: parkZones, paths: paths, routes: routes,
            parking: try areas(parking), muster: try areas(muster))
    }
}
