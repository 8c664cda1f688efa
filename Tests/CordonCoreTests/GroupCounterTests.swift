@testable import CordonCore
import Geometry
import Testing

/// The crowding rule counts the largest group at every position in a crowding zone with
/// `GroupCounter` (no allocation) and names its members with `CrowdingRule.largestGroup` when it
/// raises: the two must always agree on the size.
@Suite("crowding: the counted group is the named group")
struct GroupCounterTests {
    @Test("random crowds on two floors, distances at the radius included: the same size both ways")
    func sameSize() {
        var rng = SplitMix(seed: 3)
        var counter = GroupCounter()
        for round in 0..<300 {
            var occupancy = ZoneOccupancy()
            var where_: [String: (point: LocalPoint, level: Int)] = [:]
            let n = 1 + round % 60
            let radius = [1.5, 2.0, 3.0][round % 3]
            let spread = [4.0, 10.0, 40.0][round / 3 % 3]
            for i in 0..<n {
                let id = "P\(i)"
                var point = LocalPoint(x: rng.next() * spread - spread / 2, y: rng.next() * spread - spread / 2)
                // Every fifth person stands exactly one radius east of the one before.
                if i % 5 == 4, let previous = where_["P\(i - 1)"] { point = LocalPoint(x: previous.point.x + radius, y: previous.point.y) }
                let level = i % 7 == 6 ? 1 : 0
                where_[id] = (point, level)
                occupancy.add(id, zone: 2, level: level)
            }
            // Someone in another zone, close by: not counted.
            occupancy.add("Q", zone: 3, level: 0)
            where_["Q"] = (LocalPoint(x: 0, y: 0), 0)
            let named = CrowdingRule.largestGroup(zone: 2, radius: radius, occupancy: occupancy) { where_[$0] }?.members.count ?? 0
            let counted = counter.largestGroupSize(zone: 2, radius: radius, occupancy: occupancy) { where_[$0] }
            #expect(counted == named, "round \(round): \(n) people, radius \(radius)")
        }
    }

    @Test("an empty zone, and people without a position, make no group")
    func empty() {
        var counter = GroupCounter()
        var occupancy = ZoneOccupancy()
        #expect(counter.largestGroupSize(zone: 0, radius: 2, occupancy: occupancy) { _ in nil } == 0)
        occupancy.add("P1", zone: 0, level: 0)
        #expect(counter.largestGroupSize(zone: 0, radius: 2, occupancy: occupancy) { _ in nil } == 0)
        #expect(counter.largestGroupSize(zone: 0, radius: 2, occupancy: occupancy) { _ in (LocalPoint(x: 1, y: 1), 0) } == 1)
    }
}

/// A seeded generator for the crowds above.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
