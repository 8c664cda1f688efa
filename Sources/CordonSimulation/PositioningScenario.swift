import CordonCore
import Geometry

/// Positioning quality in the simulation (docs/positioning.md): reference tags at surveyed
/// points, and one zone whose positioning goes bad for a while (a dead anchor).
///
/// It draws from a generator of its own, so that the everyday traffic of a seed is the same
/// with it or without it.
public struct PositioningScenario: Sendable {
    /// Reference tags: one at the centre of each of the first `count` zones of the site that
    /// the demo's people visit, reporting every `everyS` seconds, scattered (2-D normal) by
    /// `scatterSD` metres around the surveyed point.
    public var references = 0
    public var referenceEveryS = 5.0
    public var referenceScatterSD = 0.4
    /// A zone whose people's fixes come at ±4–8 m (and that far off) from `degradeFromS`
    /// seconds after the start, for `degradeForS` seconds.
    public var degradedZone: String?
    public var degradeFromS = 3600.0
    public var degradeForS = 1800.0

    public init() {}

    public var isEmpty: Bool { references == 0 && degradedZone == nil }
}

/// The reference tags and the degraded zone, at work in a ``SimulationWorld``.
final class PositioningSimulation {
    let scenario: PositioningScenario
    let tags: [ReferenceTag]
    private var rng: SimulationRandom
    private let degradedShape: PreparedShape?
    private let degradeWindow: (from: Instant, until: Instant)

    init(_ s: PositioningScenario, world w: SimulationWorld, seed: UInt64) throws(TrafficSimulator.Failure) {
        scenario = s
        rng = SimulationRandom(seed: seed ^ 0x5EED_0F_AC_C0)
        var tags: [ReferenceTag] = []
        var seen = Set<String>()
        // One zone of each risk class in turn (red, orange, yellow, blue), in the layout's order.
        let candidates = w.places.filter { $0.frame == nil && $0.zone.shape.contains($0.zone.shape.shape.centroid) }
        var byRisk = Zone.Risk.allCases.map { r in candidates.filter { $0.zone.risk == r } }
        var picked: [SimulationWorld.Place] = []
        while picked.count < s.references && byRisk.contains(where: { !$0.isEmpty }) {
            for k in byRisk.indices where !byRisk[k].isEmpty && picked.count < s.references { picked.append(byRisk[k].removeFirst()) }
        }
        for p in picked where !seen.contains(p.zone.id) {
            seen.insert(p.zone.id)
            let c = p.zone.shape.shape.centroid
            let n = tags.count + 1
            tags.append(ReferenceTag(id: "REF-\(n)", tag: "TREF\(n)", x: (c.x * 100).rounded() / 100, y: (c.y * 100).rounded() / 100,
                                     level: p.layout.level ?? 0))
        }
        self.tags = tags
        if let z = s.degradedZone {
            guard let zone = w.site.zone(z) else { throw .init(description: "--degrade-zone '\(z)' is not a zone of site \(w.site.id)") }
            degradedShape = zone.shape
        } else {
            degradedShape = nil
        }
        degradeWindow = (w.start.adding(seconds: s.degradeFromS), w.start.adding(seconds: s.degradeFromS + s.degradeForS))
    }

    /// The registry records of the reference tags.
    var records: [Value] { tags.map(RegistryRecords.value) }

    /// The reference tags' fixes of second `t`.
    func fixes(at t: Instant, start: Instant) -> [Value] {
        let every = Int64(max(1, scenario.referenceEveryS) * 1000)
        guard t >= start, (t.milliseconds - start.milliseconds) % every == 0 else { return [] }
        return tags.map { r in
            // A reference tag in the degraded zone suffers with it: that is what it is there to show.
            let bad = degradedShape.map { $0.contains(r.point) && t >= degradeWindow.from && t < degradeWindow.until } ?? false
            let sd = bad ? 3.0 : scenario.referenceScatterSD
            let dx = rng.normal(sd: sd), dy = rng.normal(sd: sd)
            var o: [String: Value] = ["type": "position", "tag": .string(r.tag), "t": .int(t.milliseconds),
                                      "x": .number(((r.x + dx) * 100).rounded() / 100), "y": .number(((r.y + dy) * 100).rounded() / 100),
                                      "accuracy_m": .number(((sd * 1.5) * 10).rounded() / 10)]
            if r.level != 0 { o["level"] = .int(r.level) }
            return .object(o)
        }
    }

    /// A person's fix while the degraded zone is bad: far off, and saying so.
    func degrade(_ message: Value, truth: LocalPoint, at t: Instant) -> Value {
        guard let shape = degradedShape, t >= degradeWindow.from, t < degradeWindow.until, shape.contains(truth),
              case .object(var o) = message, o["frame"] == nil else { return message }
        let acc = rng.uniform(4...8)
        o["x"] = .number(((truth.x + rng.normal(sd: acc / 2, clip: acc)) * 100).rounded() / 100)
        o["y"] = .number(((truth.y + rng.normal(sd: acc / 2, clip: acc)) * 100).rounded() / 100)
        o["accuracy_m"] = .number((acc * 10).rounded() / 10)
        return .object(o)
    }
}
