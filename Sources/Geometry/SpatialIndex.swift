import CGEOS

/// A static spatial index (GEOS STRtree) over shapes' envelopes, each with an `Int` payload.
///
/// Built completely at init (GEOS 3.11 has no `GEOSSTRtree_build_r`; one query forces the
/// build), so GEOS never modifies it afterwards. Queries share one preallocated hit buffer, so
/// query it from one thread at a time (a query from inside another query's `body` on the same
/// index is fine: it gets a buffer of its own).
public final class SpatialIndex: @unchecked Sendable {
    /// The owned `GEOSSTRtree *`. Items are `index + 1` as a pointer-sized integer.
    private let tree: OpaquePointer
    /// payloads[index]
    private let payloads: UnsafeMutableBufferPointer<Int>
    /// Kept alive for as long as the tree refers to their envelopes.
    private let shapes: [Shape]
    /// The union of every item's envelope.
    public let bounds: Bounds
    /// Answers point queries up to ``gridMargin`` without GEOS (CellGrid.swift).
    private let grid: CellGrid?
    /// Point queries with a half-size up to this are answered by the grid.
    public static let gridMargin = 25.0
    /// Whether small point queries are answered by the grid (not when it would be too large).
    public var answersPointsFromGrid: Bool { grid != nil }

    public init(_ items: [(shape: Shape, payload: Int)], nodeCapacity: Int = 10) throws(GeometryError) {
        let h = try GeometryContext.checkedHandle()
        guard let tree = GEOSSTRtree_create_r(h, max(2, nodeCapacity)) else {
            throw .geos("GEOSSTRtree_create_r failed: \(GeometryContext.lastError ?? "unknown error")")
        }
        self.tree = tree
        payloads = .allocate(capacity: items.count)
        hits = .allocate(capacity: 1)
        hits.initialize(to: Hits(indexes: .allocate(capacity: max(items.count, 1)), count: 0, inUse: false))
        shapes = items.map(\.shape)
        var all = Bounds.empty
        for (i, item) in items.enumerated() {
            payloads.initializeElement(at: i, to: item.payload)
            GEOSSTRtree_insert_r(h, tree, item.shape.geom, UnsafeMutableRawPointer(bitPattern: i + 1))
            all = all.union(item.shape.bounds)
        }
        bounds = all
        grid = CellGrid(envelopes: items.map(\.shape.bounds), margin: Self.gridMargin)
        // Any query of the tree builds all of it (the grid answers small ones without it).
        query(0, 0, 0, 0) { _ in }
    }

    deinit {
        GEOSSTRtree_destroy_r(GeometryContext.handle, tree)
        payloads.deallocate()
        hits.pointee.indexes.deallocate()
        hits.deallocate()
    }

    public var count: Int { payloads.count }

    /// Payloads whose envelopes intersect the square of half-side `distance` around `p`
    /// (the point itself for 0), sorted ascending.
    public func candidates(at p: LocalPoint, within distance: Double = 0) -> [Int] {
        var out: [Int] = []
        forEachCandidate(at: p, within: distance) { out.append($0) }
        out.sort()
        return out
    }

    /// Payloads whose envelopes intersect `bounds` (inclusive), sorted ascending.
    public func candidates(in bounds: Bounds) -> [Int] {
        guard !bounds.isEmpty else { return [] }
        var out: [Int] = []
        query(bounds.minX, bounds.minY, bounds.maxX, bounds.maxY) { out.append($0) }
        out.sort()
        return out
    }

    /// Calls `body` with the payload of every item whose envelope intersects the square of
    /// half-side `distance` around `p` (the point itself for 0), in no particular order.
    /// No Swift allocation.
    @inline(__always)
    public func forEachCandidate(at p: LocalPoint, within distance: Double, _ body: (Int) -> Void) {
        let d = distance > 0 ? distance : 0
        if let grid, d <= grid.margin {
            let payloads = payloads
            grid.forEach(x: p.x, y: p.y, within: d) { body(payloads[$0]) }
            return
        }
        query(p.x - d, p.y - d, p.x + d, p.y + d, body)
    }

    /// Where the STRtree callback (a C function pointer that cannot capture) writes the
    /// indexes it finds: preallocated, reached through the callback's userdata.
    private struct Hits {
        var indexes: UnsafeMutablePointer<Int>
        var count: Int
        var inUse: Bool
    }

    private let hits: UnsafeMutablePointer<Hits>

    private func query(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double, _ body: (Int) -> Void) {
        guard minX <= maxX, minY <= maxY, payloads.count > 0 else { return }
        if hits.pointee.inUse {
            // Called again from inside `body` (a nested query on this index): use a buffer of
            // its own rather than overwrite the one being walked.
            let nested = UnsafeMutablePointer<Hits>.allocate(capacity: 1)
            nested.initialize(to: Hits(indexes: .allocate(capacity: payloads.count), count: 0, inUse: false))
            defer {
                nested.pointee.indexes.deallocate()
                nested.deallocate()
            }
            run(nested, minX, minY, maxX, maxY, body)
        } else {
            run(hits, minX, minY, maxX, maxY, body)
        }
    }

    @inline(__always)
    private func run(_ hits: UnsafeMutablePointer<Hits>, _ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double,
                     _ body: (Int) -> Void) {
        let h = GeometryContext.handle
        // A point when the box is degenerate, a rectangle otherwise: only its envelope matters.
        guard let g = GEOSGeom_createRectangle_r(h, minX, minY, maxX, maxY) else { return }
        hits.pointee.count = 0
        GEOSSTRtree_query_r(h, tree, g, { item, userdata in
            let hits = userdata.unsafelyUnwrapped.assumingMemoryBound(to: Hits.self)
            hits.pointee.indexes[hits.pointee.count] = Int(bitPattern: item) - 1
            hits.pointee.count += 1
        }, hits)
        GEOSGeom_destroy_r(h, g)
        hits.pointee.inUse = true
        defer { hits.pointee.inUse = false }
        let indexes = hits.pointee.indexes, payloads = payloads
        for k in 0..<hits.pointee.count {
            body(payloads[indexes[k]])
        }
    }
}
