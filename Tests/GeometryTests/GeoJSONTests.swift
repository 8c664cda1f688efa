import Testing
import Foundation
import Geometry

/// Site file geometry (docs/site-file.md, RFC 7946): parsed from what JSONSerialization returns.
@Suite("GeoJSON geometry")
struct GeoJSONTests {
    let frame = LocalFrame(origin: LonLat(lon: 118.73, lat: 37.45))

    func parse(_ text: String) throws -> GeoJSONGeometry {
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try GeoJSONGeometry(json: json)
    }

    /// The GeoJSON error message for `text`, or nil (and a recorded issue) if it parses.
    func message(_ text: String) -> String? {
        do {
            let g = try parse(text)
            Issue.record("parsed \(g)")
        } catch let GeometryError.geoJSON(message) {
            return message
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    // MARK: Supported types

    @Test("Point")
    func point() throws {
        let g = try parse(#"{"type":"Point","coordinates":[118.73,37.45]}"#)
        #expect(g == .point(LonLat(lon: 118.73, lat: 37.45)))
        let s = try g.shape(in: frame)
        #expect(s.kind == .point)
        #expect(close(s.centroid, p(0, 0), 1e-9))
    }

    @Test("LineString, with integers and an ignored altitude")
    func lineString() throws {
        let g = try parse(#"{"type":"LineString","coordinates":[[118,37],[118.73,37.46,12.5]]}"#)
        #expect(g == .lineString([LonLat(lon: 118, lat: 37), LonLat(lon: 118.73, lat: 37.46)]))
        let s = try GeoJSONGeometry.lineString([LonLat(lon: 118.73, lat: 37.45), LonLat(lon: 118.73, lat: 37.46)]).shape(in: frame)
        #expect(s.kind == .lineString)
        #expect(close(s.length, 1109.8618877876, 1e-6))
    }

    @Test("Polygon with a hole, projected into local metres")
    func polygon() throws {
        let g = try parse("""
            {"type":"Polygon","coordinates":[
              [[118.73,37.45],[118.74,37.45],[118.74,37.46],[118.73,37.46],[118.73,37.45]],
              [[118.734,37.454],[118.734,37.456],[118.736,37.456],[118.736,37.454],[118.734,37.454]]]}
            """)
        guard case .polygon(let rings) = g else { Issue.record("not a polygon: \(g)"); return }
        #expect(rings.count == 2 && rings[0].count == 5)
        let s = try g.shape(in: frame)
        #expect(s.kind == .polygon)
        #expect(s.validityProblem == nil)
        #expect(s.polygons[0].count == 2)
        // Corners land where the frame puts them.
        #expect(close(s.exteriorRings[0][1], frame.toLocal(LonLat(lon: 118.74, lat: 37.45)), 1e-9))
        #expect(s.contains(frame.toLocal(LonLat(lon: 118.732, lat: 37.452))))
        #expect(!s.contains(frame.toLocal(LonLat(lon: 118.735, lat: 37.455))))   // in the hole
        // About 884.8 m x 1109.9 m minus a hole of about 177.0 m x 222.0 m.
        let expected = 884.8 * 1109.9 - 177.0 * 222.0
        #expect(abs(s.area - expected) / expected < 0.001, "\(s.area)")
    }

    @Test("MultiPolygon")
    func multiPolygon() throws {
        let g = try parse("""
            {"type":"MultiPolygon","coordinates":[
              [[[118.73,37.45],[118.731,37.45],[118.731,37.451],[118.73,37.45]]],
              [[[118.74,37.45],[118.741,37.45],[118.741,37.451],[118.74,37.45]]]]}
            """)
        guard case .multiPolygon(let polys) = g else { Issue.record("not a multipolygon: \(g)"); return }
        #expect(polys.count == 2)
        let s = try g.shape(in: frame)
        #expect(s.kind == .multiPolygon)
        #expect(s.exteriorRings.count == 2)
        #expect(s.validityProblem == nil)
    }

    @Test("a bow-tie parses and builds; validity is the caller's question")
    func invalidButParsed() throws {
        let g = try parse(#"{"type":"Polygon","coordinates":[[[118.73,37.45],[118.74,37.46],[118.74,37.45],[118.73,37.46],[118.73,37.45]]]}"#)
        let s = try g.shape(in: frame)
        #expect(s.validityProblem?.contains("Self-intersection") == true)
    }

    @Test("a ring of 4 positions that repeat points has too few distinct points for a shape")
    func degenerateRing() throws {
        let g = try parse(#"{"type":"Polygon","coordinates":[[[118.73,37.45],[118.74,37.46],[118.74,37.46],[118.73,37.45]]]}"#)
        let error = #expect(throws: GeometryError.self) { try g.shape(in: frame) }
        guard case .tooFewPoints = error else { Issue.record("expected tooFewPoints, got \(String(describing: error))"); return }
    }

    // MARK: Malformed

    @Test("malformed geometry gives a clear message", arguments: [
        (#"{"type":"Polygon","coordinates":[[[118.73,37.45],[118.74,37.45],[118.73,37.45]]]}"#,
         "Polygon ring 0 has 3 positions; a closed ring needs at least 4"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45],[118.74,37.45],"x"]}"#,
         "coordinates[2] is not a [lon, lat] pair"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45],[118.74,37.45],[118.75]]}"#,
         "coordinates[2] is not a [lon, lat] pair"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45],[118.74,37.45],[1,2,3,4]]}"#,
         "coordinates[2] is not a [lon, lat] pair"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45],[118.74,37.45],["118",37]]}"#,
         "coordinates[2] is not a [lon, lat] pair of numbers"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45],[true,false]]}"#,
         "coordinates[1] is not a [lon, lat] pair of numbers"),
        (#"{"type":"Point","coordinates":[200,37.45]}"#,
         "coordinates: longitude 200 out of range"),
        (#"{"type":"Point","coordinates":[118.5,-90.5]}"#,
         "coordinates: latitude -90.5 out of range"),
        (#"{"type":"MultiLineString","coordinates":[[[118.73,37.45],[118.74,37.45]]]}"#,
         "unsupported geometry type MultiLineString"),
        (#"{"type":"GeometryCollection","geometries":[]}"#,
         "unsupported geometry type GeometryCollection"),
        (#"{"type":"Polygon","coordinates":[[[118.73,37.45],[118.74,37.45],[118.74,37.46],[118.73,37.46]]]}"#,
         "Polygon ring 0 is not closed: its first position [118.73, 37.45] differs from its last [118.73, 37.46]"),
        (#"{"type":"Polygon","coordinates":[]}"#, "Polygon has no rings"),
        (#"{"type":"Polygon","coordinates":[[[118.73,37.45],[118.74,37.45],[118.74,37.46],[118.73,37.45]],[[1,2]]]}"#,
         "Polygon ring 1 has 1 position; a closed ring needs at least 4"),
        (#"{"type":"MultiPolygon","coordinates":[[[[118.73,37.45],[118.74,37.45],[118.74,37.46],[118.73,37.45]]],[[[118.73,37.45],[118.74,37.45],[118.73,37.45]]]]}"#,
         "MultiPolygon polygon 1 ring 0 has 3 positions; a closed ring needs at least 4"),
        (#"{"type":"MultiPolygon","coordinates":[[[[118.73,37.45],[118.74,37.45],[118.74,37.46],[118.73,37.45]]],[[[118.73,37.45],[118.74,37.45],[118.74,95],[118.73,37.45]]]]}"#,
         "coordinates[1][0][2]: latitude 95 out of range"),
        (#"{"type":"LineString","coordinates":[[118.73,37.45]]}"#, "LineString has 1 position; a line needs at least 2"),
        (#"{"type":"LineString","coordinates":{"lon":1}}"#, "coordinates is not an array of [lon, lat] positions"),
        (#"{"type":"Point","coordinates":[[118.73,37.45]]}"#, "coordinates is not a [lon, lat] pair"),
        (#"{"type":"Point","coordinates":[118.73,null]}"#, "coordinates is not a [lon, lat] pair of numbers"),
        (#"{"type":"Point","coordinates":[118.73,37.45,"high"]}"#, "coordinates has an altitude that is not a number"),
        (#"{"type":"Point"}"#, "Point has no \"coordinates\""),
        (#"{"coordinates":[118.73,37.45]}"#, "geometry has no \"type\""),
        (#"{"type":7,"coordinates":[118.73,37.45]}"#, "geometry \"type\" is not a string"),
        (#"[118.73,37.45]"#, "geometry is not a JSON object"),
    ])
    func malformed(text: String, expected: String) {
        #expect(message(text) == expected)
    }

    @Test("non-finite numbers are refused")
    func nonFinite() {
        for bad in [Double.nan, .infinity, -.infinity] {
            let json: [String: Any] = ["type": "Point", "coordinates": [bad, 37.45]]
            let error = #expect(throws: GeometryError.self) { try GeoJSONGeometry(json: json) }
            #expect(error == .geoJSON("coordinates has a non-finite number"))
        }
    }

    @Test("plain Swift values work as well as JSONSerialization's")
    func swiftValues() throws {
        let json: [String: Any] = ["type": "LineString", "coordinates": [[118.73, 37.45], [119, 37] as [Any]]]
        #expect(try GeoJSONGeometry(json: json) == .lineString([LonLat(lon: 118.73, lat: 37.45), LonLat(lon: 119, lat: 37)]))
        let boolean: [String: Any] = ["type": "Point", "coordinates": [true, 37.0] as [Any]]
        #expect(throws: GeometryError.self) { try GeoJSONGeometry(json: boolean) }
    }
}
