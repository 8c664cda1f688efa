import Geometry

/// The size of the largest group in a zone, counted the way ``CrowdingRule/largestGroup`` finds
/// it, without allocating once its buffers have grown to the zone's crowd.
///
/// A person's group is everyone on the same floor within `radius` of them, looked for in the
/// 3 × 3 cells of side `radius` around them: the same cells, the same distance test and so the
/// same count as the grouping that names the members when an alarm is raised. Cells are found
/// through a small open-addressing table kept in arrays that are emptied, never freed.
struct GroupCounter {
    private struct Entry {
        var point: LocalPoint
        var level: Int
        var cx: Int64
        var cy: Int64
        /// The next entry in the same cell, or -1.
        var next: Int32
    }

    private var entries: [Entry] = []
    /// Hash table of cells: the first entry of the cell, or -1 for an empty slot.
    private var heads: [Int32] = []

    mutating func largestGroupSize(zone: Int, radius: Double, occupancy: ZoneOccupancy,
                                   locate: (String) -> (point: LocalPoint, level: Int)?) -> Int {
        entries.removeAll(keepingCapacity: true)
        for (area, people) in occupancy.occupants where area.zone == zone {
            for person in people {
                guard let l = locate(person) else { continue }
                entries.append(Entry(point: l.point, level: l.level, cx: Int64((l.point.x / radius).rounded(.down)),
                                     cy: Int64((l.point.y / radius).rounded(.down)), next: -1))
            }
        }
        guard !entries.isEmpty else { return 0 }
        var size = 1
        while size < entries.count * 2 { size <<= 1 }
        heads.removeAll(keepingCapacity: true)
        heads.append(contentsOf: repeatElement(-1, count: size))
        let mask = size - 1
        for i in entries.indices {
            var s = slot(entries[i].level, entries[i].cx, entries[i].cy, mask: mask)
            while heads[s] >= 0 && !sameCell(Int(heads[s]), entries[i].level, entries[i].cx, entries[i].cy) { s = (s + 1) & mask }
            entries[i].next = heads[s]
            heads[s] = Int32(i)
        }
        var best = 0
        for i in entries.indices {
            var members = 0
            for dx in Int64(-1)...1 {
                for dy in Int64(-1)...1 {
                    let (level, cx, cy) = (entries[i].level, entries[i].cx + dx, entries[i].cy + dy)
                    var s = slot(level, cx, cy, mask: mask)
                    while heads[s] >= 0 && !sameCell(Int(heads[s]), level, cx, cy) { s = (s + 1) & mask }
                    var j = Int(heads[s])
                    while j >= 0 {
                        if entries[j].point.distance(to: entries[i].point) <= radius { members += 1 }
                        j = Int(entries[j].next)
                    }
                }
            }
            best = max(best, members)
        }
        return best
    }

    private func sameCell(_ e: Int, _ level: Int, _ cx: Int64, _ cy: Int64) -> Bool {
        entries[e].level == level && entries[e].cx == cx && entries[e].cy == cy
    }

    private func slot(_ level: Int, _ cx: Int64, _ cy: Int64, mask: Int) -> Int {
        var h = UInt64(bitPattern: cx) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(bitPattern: cy) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(bitPattern: Int64(level)) &* 0x1656_67B1_9E37_79F9
        return Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    }
}
