import Foundation
import Geometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small deterministic generator (SplitMix64), so every run sees the same "random" data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    mutating func point(in b: Bounds) -> LocalPoint {
        LocalPoint(x: Double.random(in: b.minX...b.maxX, using: &self),
                   y: Double.random(in: b.minY...b.maxY, using: &self))
    }
}

/// The 4 km x 3 km site area the benchmark park uses, centred on the origin.
let siteArea = Bounds(minX: -2000, minY: -1500, maxX: 2000, maxY: 1500)

func p(_ x: Double, _ y: Double) -> LocalPoint { LocalPoint(x: x, y: y) }

/// An axis-aligned square ring (open: the polygon closes it).
func square(_ minX: Double, _ minY: Double, _ side: Double) -> [LocalPoint] {
    [p(minX, minY), p(minX + side, minY), p(minX + side, minY + side), p(minX, minY + side)]
}

/// A star ring of `2 * arms` vertices alternating between `outer` and `outer * ratio`:
/// non-convex, like the benchmark park's zones.
func star(center c: LocalPoint, outer: Double, ratio: Double = 0.6, arms: Int = 10, rotation: Double = 0) -> [LocalPoint] {
    (0..<(2 * arms)).map { i in
        let r = i % 2 == 0 ? outer : outer * ratio
        let a = rotation + Double(i) * Double.pi / Double(arms)
        return p(c.x + r * cos(a), c.y + r * sin(a))
    }
}

func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }

func close(_ a: LocalPoint, _ b: LocalPoint, _ tolerance: Double) -> Bool {
    abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
}

/// A tiny lock for counting across threads in tests.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
