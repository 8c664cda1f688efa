#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulator's only source of chance: xoshiro256** seeded through SplitMix64.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded, and the standard library's
/// `random(in:using:)` algorithms are not promised to stay the same between releases; both
/// would break "the same seed gives the same traffic". Everything here is spelled out.
struct SimulationRandom: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in the range.
    mutating func uniform(_ r: ClosedRange<Double>) -> Double { r.lowerBound + unit() * (r.upperBound - r.lowerBound) }

    /// Uniform integer in the range (the tiny modulo bias does not matter for traffic).
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.upperBound - r.lowerBound + 1)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Normally distributed (Box–Muller), cut at ±`clip` standard deviations when given.
    mutating func normal(mean: Double = 0, sd: Double, clip: Double? = nil) -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        var z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        if let clip { z = min(max(z, -clip), clip) }
        return mean + sd * z
    }

    /// One element, uniformly.
    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }

    /// One element with probability proportional to its weight; nil when all weights are 0.
    mutating func pick<T>(_ a: [T], weight: (T) -> Double) -> T? {
        let total = a.reduce(0) { $0 + max(0, weight($1)) }
        guard total > 0 else { return nil }
        var r = unit() * total
        for e in a {
            r -= max(0, weight(e))
            if r < 0 { return e }
        }
        return a.last { weight($0) > 0 }
    }

    /// The elements in a random order (Fisher–Yates).
    mutating func shuffled<T>(_ a: [T]) -> [T] {
        var a = a
        if a.count > 1 {
            for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(0...i)) }
        }
        return a
    }

    /// A point uniformly inside a disc.
    mutating func inDisc(radius: Double) -> (dx: Double, dy: Double) {
        let r = radius * unit().squareRoot(), a = 2 * Double.pi * unit()
        return (r * cos(a), r * sin(a))
    }
}
