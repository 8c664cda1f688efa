/// A uniform grid over a spatial index's items, answering "whose envelope comes within `d` of
/// this point?" for small `d` with arithmetic alone: the point's cell lists every item whose
/// envelope, grown by ``margin``, reaches into the cell, and each is then tested exactly. The
/// same items as an STRtree query, without building a GEOS rectangle for every position.
///
/// Each item is listed in every cell its grown envelope touches, so a point farther than
/// `margin` from an envelope's box can never find it, and one within `d ≤ margin` always does.
/// The lists are packed in one array (`starts[c]..<starts[c + 1]` for cell `c`).
struct CellGrid {
    /// Queries up to this half-size are answered here; larger ones go to the STRtree.
    let margin: Double
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    private let starts: [Int32]
    private let items: [Int32]
    /// Each item's envelope, by item index (empty envelopes are never listed).
    private let envelopes: [Bounds]

    /// A grid over `envelopes` (item index = position), or nil when there is nothing to index,
    /// the area would need more than `maxCells` cells of a useful size, or the lists would hold
    /// more than `maxItems` entries.
    /// `maxItems` bounds the lists' total: many large overlapping envelopes (a site file of
    /// thousands of zones each covering the whole site) would list each in every cell, so past
    /// it there is no grid and the STRtree answers.
    init?(envelopes: [Bounds], margin: Double, maxCells: Int = 1 << 22, maxItems: Int = 1 << 23) {
        var all = Bounds.empty
        for e in envelopes where !e.isEmpty { all = all.union(e) }
        guard !all.isEmpty, margin >= 0, margin.isFinite else { return nil }
        let minX = all.minX - margin, minY = all.minY - margin
        let width = all.maxX + margin - minX, height = all.maxY + margin - minY
        let listed = envelopes.filter { !$0.isEmpty }.count
        // About four cells an item, never smaller than a metre.
        var size = max(1, (width * height / Double(4 * max(listed, 1))).squareRoot())
        while (width / size + 1) * (height / size + 1) > Double(maxCells) { size *= 2 }
        let columns = Int(width / size) + 1, rows = Int(height / size) + 1
        guard columns > 0, rows > 0, columns * rows <= maxCells else { return nil }

        func span(_ lo: Double, _ hi: Double, _ origin: Double, _ count: Int) -> ClosedRange<Int> {
            max(0, Int(((lo - origin) / size).rounded(.down)))...min(count - 1, Int(((hi - origin) / size).rounded(.down)))
        }
        // Two passes: count each cell's items, then place them.
        var total = 0
        for e in envelopes where !e.isEmpty {
            total += span(e.minY - margin, e.maxY + margin, minY, rows).count * span(e.minX - margin, e.maxX + margin, minX, columns).count
            if total > maxItems { return nil }
        }
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for e in envelopes where !e.isEmpty {
            for r in span(e.minY - margin, e.maxY + margin, minY, rows) {
                for c in span(e.minX - margin, e.maxX + margin, minX, columns) { counts[r * columns + c + 1] += 1 }
            }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var next = counts
        var items = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (i, e) in envelopes.enumerated() where !e.isEmpty {
            for r in span(e.minY - margin, e.maxY + margin, minY, rows) {
                for c in span(e.minX - margin, e.maxX + margin, minX, columns) {
                    items[Int(next[r * columns + c])] = Int32(i)
                    next[r * columns + c] += 1
                }
            }
        }
        self.margin = margin
        (originX, originY, cellSize, self.columns, self.rows) = (minX, minY, size, columns, rows)
        starts = counts
        self.items = items
        self.envelopes = envelopes
    }

    /// Calls `body` with the index of every item whose envelope intersects the square of
    /// half-side `d` (≤ ``margin``) around `(x, y)`, in no particular order.
    @inline(__always)
    func forEach(x: Double, y: Double, within d: Double, _ body: (Int) -> Void) {
        let cx = ((x - originX) / cellSize).rounded(.down), cy = ((y - originY) / cellSize).rounded(.down)
        // Outside the grid (or not a number): farther than `margin` from every envelope.
        guard cx >= 0, cy >= 0, cx < Double(columns), cy < Double(rows) else { return }
        let cell = Int(cy) * columns + Int(cx)
        for k in Int(starts[cell])..<Int(starts[cell + 1]) {
            let i = Int(items[k])
            let e = envelopes[i]
            if e.minX <= x + d, e.maxX >= x - d, e.minY <= y + d, e.maxY >= y - d { body(i) }
        }
    }
}
