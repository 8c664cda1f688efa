import Geometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A polyline someone walks or drives along, with how far along it they are.
///
/// Each segment may carry its own speed (metres per second): a truck slows to walking pace
/// on the last leg into a loading bay. People use one speed for the whole path.
struct MovePath: Sendable {
    private(set) var points: [LocalPoint]
    /// Speed cap per segment (`points[i]` to `points[i+1]`), metres per second; nil for none.
    private(set) var segmentSpeed: [Double?]
    /// The segment being travelled and the metres already done on it.
    private(set) var segment = 0
    private(set) var offset = 0.0

    init(_ points: [LocalPoint], segmentSpeed: [Double?]? = nil) {
        // Repeated points make zero-length segments, which have no direction.
        var clean: [LocalPoint] = []
        var speeds: [Double?] = []
        for (i, p) in points.enumerated() {
            if let last = clean.last, last.distance(to: p) < 0.01 { continue }
            if !clean.isEmpty { speeds.append(segmentSpeed.flatMap { i - 1 < $0.count ? $0[i - 1] : nil }) }
            clean.append(p)
        }
        if clean.isEmpty, let p = points.first { clean = [p] }
        self.points = clean
        self.segmentSpeed = speeds
    }

    var isFinished: Bool { segment >= points.count - 1 }
    var start: LocalPoint { points[0] }
    var end: LocalPoint { points[points.count - 1] }

    /// Where the traveller is now.
    var position: LocalPoint {
        guard !isFinished else { return end }
        let a = points[segment], b = points[segment + 1]
        let f = offset / a.distance(to: b)
        return LocalPoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    /// Total length, metres.
    var length: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }

    /// Metres still to go.
    var remaining: Double {
        guard !isFinished else { return 0 }
        var d = points[segment].distance(to: points[segment + 1]) - offset
        for i in (segment + 1)..<(points.count - 1) { d += points[i].distance(to: points[i + 1]) }
        return d
    }

    /// Speed cap of the segment being travelled.
    var currentSpeedCap: Double? { isFinished ? nil : segmentSpeed[segment] }

    /// Metres to the end of the current segment, and the turn there in degrees (0 at the end).
    var nextCorner: (distance: Double, turnDegrees: Double) {
        guard !isFinished else { return (0, 0) }
        let a = points[segment], b = points[segment + 1]
        let d = a.distance(to: b) - offset
        guard segment + 2 < points.count else { return (d, 0) }
        let c = points[segment + 2]
        let h1 = atan2(b.y - a.y, b.x - a.x), h2 = atan2(c.y - b.y, c.x - b.x)
        var turn = abs(h2 - h1) * 180 / Double.pi
        if turn > 180 { turn = 360 - turn }
        return (d, turn)
    }

    /// Compass heading of the current segment: 0 north, 90 east.
    var heading: Double {
        let i = min(segment, max(points.count - 2, 0))
        guard points.count >= 2 else { return 0 }
        let a = points[i], b = points[i + 1]
        var h = atan2(b.x - a.x, b.y - a.y) * 180 / Double.pi
        if h < 0 { h += 360 }
        return h
    }

    /// Moves `distance` metres on (stopping at the end); returns the new position.
    @discardableResult
    mutating func advance(_ distance: Double) -> LocalPoint {
        var left = distance
        while left > 0, !isFinished {
            let seg = points[segment].distance(to: points[segment + 1])
            if offset + left < seg {
                offset += left
                left = 0
            } else {
                left -= seg - offset
                segment += 1
                offset = 0
            }
        }
        return position
    }

    /// The point `s` metres from the start (clamped to the path).
    func point(at s: Double) -> LocalPoint {
        var copy = MovePath(points)
        return copy.advance(max(0, s))
    }

    /// The part of the path from `s0` to `s1` metres from the start.
    func slice(from s0: Double, to s1: Double) -> [LocalPoint] {
        var out = [point(at: s0)]
        var acc = 0.0
        for i in 0..<(points.count - 1) {
            acc += points[i].distance(to: points[i + 1])
            if acc > s0 && acc < s1 { out.append(points[i + 1]) }
        }
        out.append(point(at: s1))
        return out
    }

    /// The same points in the other direction.
    func reversed() -> MovePath {
        MovePath(points.reversed(), segmentSpeed: segmentSpeed.reversed())
    }

    /// The polyline moved `d` metres to the right of the direction of travel: the right-hand
    /// lane of a road given by its centreline. Corners are mitred.
    static func rightOffset(_ line: [LocalPoint], by d: Double) -> [LocalPoint] {
        guard line.count >= 2 else { return line }
        func normal(_ a: LocalPoint, _ b: LocalPoint) -> (Double, Double) {
            let len = a.distance(to: b)
            return ((b.y - a.y) / len, -(b.x - a.x) / len)
        }
        var out: [LocalPoint] = []
        for i in 0..<line.count {
            let nIn = i > 0 ? normal(line[i - 1], line[i]) : normal(line[0], line[1])
            let nOut = i < line.count - 1 ? normal(line[i], line[i + 1]) : nIn
            let dot = nIn.0 * nOut.0 + nIn.1 * nOut.1
            let k = d / max(1 + dot, 0.2)
            out.append(LocalPoint(x: line[i].x + (nIn.0 + nOut.0) * k, y: line[i].y + (nIn.1 + nOut.1) * k))
        }
        return out
    }
}
