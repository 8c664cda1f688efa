import CordonCore
import CordonService
import CordonWire
import Foundation
import Geometry
import Testing

/// The corridor is 150 m wide (±75 m): the route is drawn through one trip's fixes, 24 s and some
/// 200 m apart, so it cuts the corners of the real road; the other trips' fixes lie up to 77 m
/// off it, with one lone fix at 117 m (a GNSS glitch, shorter than the 30 s deviation time).
///
/// A real bus on a fixed route (Liverpool route 14, UK Bus Open Data Service, read from
/// ../shared/realdata — never copied into the repository) stands in for a hazmat truck on its
/// designated route: sparse fixes (median 24 s apart) with real GNSS noise.
struct BusTrack {
    struct Fix {
        var time: Instant
        var lon: Double
        var lat: Double
    }

    static var csv: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/realdata/liverpool_bus/route14_outbound.csv")
    }

    /// Trips by id, fixes in time order; nil when the data is not on this machine.
    static func trips() -> [String: [Fix]]? {
        guard let text = try? String(contentsOf: csv, encoding: .utf8) else { return nil }
        var trips: [String: [Fix]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard f.count >= 6, let lat = Double(f[4]), let lon = Double(f[5]),
                  let t = RFC3339.parse(f[3].replacingOccurrences(of: " ", with: "T") + "Z") else { continue }
            trips[f[2], default: []].append(Fix(time: t, lon: lon, lat: lat))
        }
        return trips.mapValues { $0.sorted { $0.time < $1.time } }
    }
}

@Suite("A real GPS track along a route corridor")
struct RealBusTrackTests {
    /// The site: a fence round the route, the route drawn from one trip, a destination at its end.
    static func site(route: [BusTrack.Fix]) throws -> Site {
        let origin = LonLat(lon: route[route.count / 2].lon, lat: route[route.count / 2].lat)
        let frame = LocalFrame(origin: origin)
        let pts = route.map { frame.toLocal(LonLat(lon: $0.lon, lat: $0.lat)) }
        let b = Bounds(covering: pts).expanded(by: 2000)
        func ll(_ x: Double, _ y: Double) -> Value {
            let g = frame.toLonLat(LocalPoint(x: x, y: y))
            return [.number(g.lon), .number(g.lat)]
        }
        func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Value {
            ["type": "Polygon", "coordinates": [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]]]
        }
        let end = pts[pts.count - 1], start = pts[0]
        let doc: Value = [
            "type": "FeatureCollection",
            "cordon": ["site": "bus-park", "origin": [.number(origin.lon), .number(origin.lat)], "timezone": "Europe/London",
                       "defaults": ["stop_after_s": 3600, "offline_after_s": 3600, "speeding_min_s": 15]],
            "features": [
                ["type": "Feature", "geometry": box(b.minX, b.minY, b.maxX, b.maxY), "properties": ["kind": "site", "id": "bus-park"]],
                ["type": "Feature", "geometry": ["type": "Point", "coordinates": ll(start.x, start.y)],
                 "properties": ["kind": "gate", "id": "G1", "class": "hazmat", "anti_passback": "off"]],
                ["type": "Feature", "geometry": box(end.x - 150, end.y - 150, end.x + 150, end.y + 150),
                 "properties": ["kind": "enterprise", "id": "E1", "name": "Terminus"]],
                ["type": "Feature", "geometry": ["type": "LineString", "coordinates": .array(pts.map { ll($0.x, $0.y) })],
                 "properties": ["kind": "route", "id": "R14", "width_m": 150, "deviation_after_s": 30, "to": "E1"]],
            ],
        ]
        return try SiteLoader.load(doc)
    }

    /// Replays one trip as a booked hazmat truck's fixes; returns every published topic and body.
    static func replay(_ trip: [BusTrack.Fix], on site: Site) throws -> [(topic: String, body: Value)] {
        var out: [String] = []
        var reg = Registry()
        reg.upsert(Vehicle(plate: "鲁E14014", kind: .hazmat, enterprise: "E1"))
        let runner = ReplayRunner(site: site, sitePath: nil, registry: reg) { out.append($0) }
        let first = trip[0].time, last = trip[trip.count - 1].time
        var lines: [Value] = [
            ["type": "control", "t": .int(first.milliseconds - 60_000), "request": [
                "op": "booking.create", "id": "B14", "plate": "鲁E14014", "gate": "G1", "route": "R14", "destination": "E1",
                "window": ["from": .time(first.adding(seconds: -3600)), "until": .time(last.adding(seconds: 3600))],
                "cargo": ["un": "1203", "class": "3"]]],
            ["type": "gate", "gate": "G1", "t": .int(first.milliseconds - 30_000), "direction": "in", "plate": "鲁E14014"],
        ]
        for f in trip {
            lines.append(["type": "position", "plate": "鲁E14014", "t": .int(f.time.milliseconds), "lon": .number(f.lon), "lat": .number(f.lat)])
        }
        _ = runner.run(input: lines.map { JSONText.encodeBytes($0) }, tailSeconds: 0)
        return try out.map { line in
            let v = try JSONText.parse(line)
            return (v["topic"]?.stringValue ?? "reply", v["body"] ?? v["reply"] ?? .null)
        }
    }

    /// The longest trip draws the route; trips that cover the same stretch are replayed against it.
    static func trips() -> (route: [BusTrack.Fix], others: [[BusTrack.Fix]])? {
        guard let all = BusTrack.trips(), !all.isEmpty else { return nil }
        let sorted = all.values.sorted { $0.count > $1.count }
        return (sorted[0], Array(sorted.dropFirst().prefix(6)))
    }

    @Test("other passes over the same road raise no route deviation",
          .enabled(if: BusTrack.trips() != nil, "../shared/realdata/liverpool_bus is not on this machine"))
    func noFalseDeviation() throws {
        let (route, others) = try #require(Self.trips())
        let site = try Self.site(route: route)
        var checked = 0
        for trip in others where trip.count >= 80 {
            let events = try Self.replay(trip, on: site)
            let deviations = events.filter { $0.topic == "violation.route-deviation" }
            #expect(deviations.isEmpty, "trip with \(trip.count) fixes: \(deviations.map { JSONText.encode($0.body) })")
            checked += 1
        }
        #expect(checked >= 3)
    }

    @Test("the same track with a detour spliced in raises exactly one deviation, and clears it on return",
          .enabled(if: BusTrack.trips() != nil, "../shared/realdata/liverpool_bus is not on this machine"))
    func detour() throws {
        let (route, others) = try #require(Self.trips())
        let site = try Self.site(route: route)
        var trip = try #require(others.first { $0.count >= 100 })
        // Three minutes of fixes in the middle are moved 400 m north, onto another road (the route loops, so
        // not every direction leaves it).
        let mid = trip.count / 2
        let frame = site.frame
        var moved = 0
        for i in mid..<trip.count where trip[i].time.seconds(since: trip[mid].time) <= 180 {
            let p = frame.toLocal(LonLat(lon: trip[i].lon, lat: trip[i].lat))
            let g = frame.toLonLat(LocalPoint(x: p.x, y: p.y + 400))
            trip[i].lon = g.lon
            trip[i].lat = g.lat
            moved += 1
        }
        #expect(moved >= 4, "the detour spans several fixes")
        let events = try Self.replay(trip, on: site)
        let raised = events.filter { $0.topic == "violation.route-deviation" }
        let cleared = events.filter { $0.topic == "cleared.route-deviation" }
        #expect(raised.count == 1 && cleared.count == 1)
        #expect((raised.first?.body["details"]?["distance_off_m"]?.numberValue ?? 0) > 100)
    }
}
