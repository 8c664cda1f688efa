/// A point in time: milliseconds since the Unix epoch, UTC.
///
/// Cordon runs on event time (docs/protocol.md, "Time"): every instant comes from a message or
/// from the service clock, never from `Date()` inside the engine.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// This instant moved by a number of seconds (fractions kept to the millisecond).
    ///
    /// Saturates instead of trapping: settings are bounded where they are read (``Bounded``),
    /// and this is the last guard should an unbounded number ever reach a timer.
    public func adding(seconds: Double) -> Instant {
        let ms = (seconds * 1000).rounded()
        guard ms.isFinite, abs(ms) < 9.0e18 else {
            if ms.isNaN { return self }
            return ms > 0 ? Instant(milliseconds: .max) : Instant(milliseconds: .min)
        }
        return adding(milliseconds: Int64(ms))
    }

    /// This instant moved by whole milliseconds, saturating at the ends of `Int64`.
    public func adding(milliseconds delta: Int64) -> Instant {
        let (sum, overflow) = milliseconds.addingReportingOverflow(delta)
        guard overflow else { return Instant(milliseconds: sum) }
        return Instant(milliseconds: delta > 0 ? .max : .min)
    }

    /// Seconds from `earlier` to this instant (negative when `earlier` is later).
    public func seconds(since earlier: Instant) -> Double {
        (Double(milliseconds) - Double(earlier.milliseconds)) / 1000
    }

    public var description: String { rfc3339 }
}

extension Instant: Codable {
    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(milliseconds)
    }
}
