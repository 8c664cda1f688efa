import CordonCore
import Geometry

/// A small site described in local metres, turned into a real site file document
/// (WGS84 GeoJSON) so tests go through the same loader as production.
struct TestSite {
    static let origin = LonLat(lon: 118.73, lat: 37.45)
    static let frame = LocalFrame(origin: origin)

    var features: [Value] = []
    var cordon: [String: Value] = [
        "site": "test-park", "origin": [.number(origin.lon), .number(origin.lat)], "timezone": "Asia/Shanghai",
    ]

    /// Defaults that keep rules a specification is not about out of its way (a test of crowding
    /// has no gate records; a test of a gate has sparse positions). A test's own `defaults` win.
    var quiet: [String: Value]

    init(fence: [(Double, Double)] = [(-500, -500), (500, -500), (500, 500), (-500, 500)],
         quiet: [String: Value] = ["no_entry_grace_s": 86_400]) {
        self.quiet = quiet
        features.append(Self.feature(kind: "site", id: "test-park", geometry: Self.polygon(fence)))
    }

    static func ring(_ pts: [(Double, Double)]) -> Value {
        var r = pts.map { p -> Value in
            let g = frame.toLonLat(LocalPoint(x: p.0, y: p.1))
            return [.number(g.lon), .number(g.lat)]
        }
        r.append(r[0])
        return .array(r)
    }

    static func polygon(_ exterior: [(Double, Double)], holes: [[(Double, Double)]] = []) -> Value {
        ["type": "Polygon", "coordinates": .array([ring(exterior)] + holes.map(ring))]
    }

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [(Double, Double)] {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    }

    static func point(_ x: Double, _ y: Double) -> Value {
        let g = frame.toLonLat(LocalPoint(x: x, y: y))
        return ["type": "Point", "coordinates": [.number(g.lon), .number(g.lat)]]
    }

    static func line(_ pts: [(Double, Double)]) -> Value {
        ["type": "LineString", "coordinates": .array(pts.map { p in
            let g = frame.toLonLat(LocalPoint(x: p.0, y: p.1))
            return [.number(g.lon), .number(g.lat)]
        })]
    }

    static func feature(kind: String, id: String, geometry: Value, _ props: [String: Value] = [:]) -> Value {
        var p = props
        p["kind"] = .string(kind)
        p["id"] = .string(id)
        return ["type": "Feature", "geometry": geometry, "properties": .object(p)]
    }

    mutating func zone(_ id: String, _ rect: [(Double, Double)], _ props: [String: Value] = [:]) {
        features.append(Self.feature(kind: "zone", id: id, geometry: Self.polygon(rect), props))
    }

    mutating func add(_ f: Value) { features.append(f) }

    var document: Value {
        var c = cordon
        var defaults = c["defaults"]?.objectValue ?? [:]
        for (k, v) in quiet where defaults[k] == nil { defaults[k] = v }
        c["defaults"] = .object(defaults)
        return ["type": "FeatureCollection", "cordon": .object(c), "features": .array(features)]
    }

    func load() throws -> Site { try SiteLoader.load(document) }
}

/// Instants on the morning of 2026-11-22 (UTC), by seconds.
func at(_ seconds: Double) -> Instant {
    Instant(milliseconds: 1_795_334_400_000 + Int64(seconds * 1000))
}

/// A position from a tag whose accelerometer says it is moving (a person walking or working).
func pos(_ tag: String, _ t: Double, _ x: Double, _ y: Double, level: Int = 0) -> IngestMessage {
    .position(PositionReport(source: .tag(tag), time: at(t), place: .local(x: x, y: y, frame: nil), level: level, moving: true))
}

/// Messages from several sources merged in time order, as a real feed delivers them.
func merged(_ streams: [IngestMessage]...) -> [IngestMessage] {
    streams.flatMap { $0 }.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
}

extension Engine {
    /// Handles messages in order and returns every violation published.
    func run(_ messages: [IngestMessage]) -> [Violation] {
        messages.flatMap { handle($0).outputs }.compactMap {
            if case .violation(let v) = $0 { return v }
            return nil
        }
    }
}
