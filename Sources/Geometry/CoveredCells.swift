import CGEOS

/// A polygon's grid of cells, each known to lie wholly inside it, wholly outside it, or across
/// its edge, so that a point in the first two kinds is answered without GEOS: the site's fence,
/// which every position is tested against.
///
/// A cell is *inside* when the polygon contains the closed cell properly (every point of the
/// cell, its border included, is interior), *outside* when they share no point; only points in
/// the cells the edge crosses go to the prepared geometry. So the answers are exactly GEOS's.
public final class CoveredCells: @unchecked Sendable {
    public let shape: PreparedShape
    private let originX: Double
    private let originY: Double
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    /// Per cell: 0 outside, 1 inside, 2 across the edge.
    private let kinds: [UInt8]

    /// Classifies about `targetCells` square cells over the shape's envelope (one GEOS test
    /// each, once, when the site is loaded).
    public init(_ shape: PreparedShape, targetCells: Int = 1 << 14) {
        self.shape = shape
        let b = shape.bounds
        guard !b.isEmpty, b.width > 0, b.height > 0 else {
            (originX, originY, cellSize, columns, rows, kinds) = (0, 0, 1, 0, 0, [])
            return
        }
        // Square cells, about `targetCells` of them and at most a few times that however long
        // and thin the shape: one GEOS test a cell, at every site load.
        let target = Double(max(1, targetCells))
        let size = max(0.5, (b.width * b.height / target).squareRoot(), b.width / target, b.height / target)
        let columns = Int((b.width / size).rounded(.up)) + 1, rows = Int((b.height / size).rounded(.up)) + 1
        var kinds = [UInt8](repeating: 2, count: columns * rows)
        let h = GeometryContext.handle
        for r in 0..<rows {
            for c in 0..<columns {
                let x0 = b.minX + Double(c) * size, y0 = b.minY + Double(r) * size
                guard let cell = GEOSGeom_createRectangle_r(h, x0, y0, x0 + size, y0 + size) else { continue }
                if GEOSPreparedIntersects_r(h, shape.prepared, cell) == 0 {
                    kinds[r * columns + c] = 0
                } else if GEOSPreparedContainsProperly_r(h, shape.prepared, cell) == 1 {
                    kinds[r * columns + c] = 1
                }
                GEOSGeom_destroy_r(h, cell)
            }
        }
        (originX, originY, cellSize, self.columns, self.rows, self.kinds) = (b.minX, b.minY, size, columns, rows, kinds)
    }

    /// Cells classified (what loading the shape cost in GEOS tests).
    public var cellCount: Int { kinds.count }

    /// The kind of `p`'s cell; 2 (ask GEOS) outside the grid, where the envelope test answers.
    @inline(__always)
    private func kind(_ p: LocalPoint) -> UInt8 {
        let cx = ((p.x - originX) / cellSize).rounded(.down), cy = ((p.y - originY) / cellSize).rounded(.down)
        guard cx >= 0, cy >= 0, cx < Double(columns), cy < Double(rows) else { return 2 }
        return kinds[Int(cy) * columns + Int(cx)]
    }

    /// Whether `p` lies inside or on the boundary (as ``PreparedShape/covers(_:)``).
    @inline(__always)
    public func covers(_ p: LocalPoint) -> Bool { answer(p) { shape.covers($0) } }

    /// Whether `p` lies strictly inside (as ``PreparedShape/contains(_:)``).
    @inline(__always)
    public func contains(_ p: LocalPoint) -> Bool { answer(p) { shape.contains($0) } }

    /// The cell's answer, or GEOS's where the edge crosses the cell.
    @inline(__always)
    private func answer(_ p: LocalPoint, _ exact: (LocalPoint) -> Bool) -> Bool {
        switch kind(p) {
        case 0: return false
        case 1: return true
        default: return exact(p)
        }
    }
}
