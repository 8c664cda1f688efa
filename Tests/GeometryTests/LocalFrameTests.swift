import Testing
import Geometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// docs/site-file.md: local ENU metres on the WGS84 tangent plane at the site origin.
@Suite("LocalFrame: WGS84 <-> local ENU metres")
struct LocalFrameTests {
    let frame = LocalFrame(origin: LonLat(lon: 118.73, lat: 37.45))

    @Test("the origin maps to (0, 0) and back")
    func originIsZero() {
        let o = frame.toLocal(LonLat(lon: 118.73, lat: 37.45))
        #expect(o.x == 0 && o.y == 0)
        let back = frame.toLonLat(LocalPoint(x: 0, y: 0))
        #expect(close(back.lon, 118.73, 1e-12) && close(back.lat, 37.45, 1e-12))
    }

    /// Reference values from `to_xy` in /work/shared/bench/genpark.py (the exact
    /// geodetic -> ECEF -> ENU formula), for the origin (118.73, 37.45).
    @Test("agrees with the reference ECEF -> ENU implementation to 1e-6 m",
          arguments: [
              (118.74, 37.46, 884.7259108109, 1109.9088349005),
              (118.74, 37.45, 884.8437116945, 0.0469533632),
              (118.73, 37.46, 0.0000000000, 1109.8618877876),
              (118.72, 37.44, -884.9614855394, -1109.8130455504),
              (118.7524, 37.4636, 1981.6909903368, 1509.6481723191),
              (118.705, 37.432, -2212.6391538829, -1997.4531023877),
          ])
    func referenceValues(lon: Double, lat: Double, x: Double, y: Double) {
        let local = frame.toLocal(LonLat(lon: lon, lat: lat))
        #expect(close(local.x, x, 1e-6), "x \(local.x) vs \(x)")
        #expect(close(local.y, y, 1e-6), "y \(local.y) vs \(y)")
    }

    @Test("on the equator at the prime meridian, east is a*sin(dlon) and the y of a point due east is its sag")
    func equatorialOrigin() {
        let f = LocalFrame(origin: LonLat(lon: 0, lat: 0))
        let a = 6378137.0
        let dlon = 0.01 * Double.pi / 180
        let east = f.toLocal(LonLat(lon: 0.01, lat: 0))
        // ECEF of (0.01, 0) is (a cos dlon, a sin dlon, 0); ENU at (0, 0) is (y, z).
        #expect(close(east.x, a * sin(dlon), 1e-6))
        #expect(close(east.y, 0, 1e-9))
        let north = f.toLocal(LonLat(lon: 0, lat: 0.01))
        let e2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
        let phi = 0.01 * Double.pi / 180
        let n = a / (1 - e2 * sin(phi) * sin(phi)).squareRoot()
        #expect(close(north.x, 0, 1e-9))
        #expect(close(north.y, n * (1 - e2) * sin(phi), 1e-6))
    }

    /// Reference values from `to_lonlat` in genpark.py.
    @Test("the inverse agrees with the reference inverse")
    func inverseReference() {
        let cases: [(Double, Double, Double, Double)] = [
            (1000, -500, 118.741300753090, 37.445494389121),
            (-2000, 1500, 118.707393070692, 37.463513029441),
            (2000, -1500, 118.752598796356, 37.436482616876),
        ]
        for (x, y, lon, lat) in cases {
            let ll = frame.toLonLat(LocalPoint(x: x, y: y))
            #expect(close(ll.lon, lon, 1e-10) && close(ll.lat, lat, 1e-10), "\(ll) vs \(lon), \(lat)")
        }
    }

    @Test("round trip local -> WGS84 -> local stays within 1 µm over a 4 km x 3 km area")
    func roundTrip() {
        var worst = 0.0
        for x in stride(from: -2000.0, through: 2000, by: 50) {
            for y in stride(from: -1500.0, through: 1500, by: 50) {
                let q = LocalPoint(x: x + 0.123456, y: y - 0.654321)
                let back = frame.toLocal(frame.toLonLat(q))
                worst = max(worst, abs(back.x - q.x), abs(back.y - q.y))
            }
        }
        #expect(worst < 1e-6, "worst round-trip error \(worst) m")
    }

    @Test("round trip WGS84 -> local -> WGS84 stays within 1e-11 degrees")
    func roundTripDegrees() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let ll = LonLat(lon: Double.random(in: 118.70...118.76, using: &rng),
                            lat: Double.random(in: 37.43...37.47, using: &rng))
            let back = frame.toLonLat(frame.toLocal(ll))
            #expect(close(back.lon, ll.lon, 1e-11) && close(back.lat, ll.lat, 1e-11))
        }
    }

    @Test("frames are equal when their origins are")
    func equality() {
        #expect(frame == LocalFrame(origin: LonLat(lon: 118.73, lat: 37.45)))
        #expect(frame != LocalFrame(origin: LonLat(lon: 118.73, lat: 37.46)))
        #expect(Set([frame, LocalFrame(origin: LonLat(lon: 118.73, lat: 37.45))]).count == 1)
    }
}
