import Geometry

/// The park's roads as a graph, for vehicles that have no designated route: shortest way from
/// one point to another along the centrelines, driven in the right-hand lane.
struct RoadNetwork: Sendable {
    private var nodes: [LocalPoint] = []
    /// Undirected edges as (from, to, length).
    private var edges: [(a: Int, b: Int, length: Double)] = []
    /// Metres from the centreline to the middle of the right-hand lane.
    let laneOffset: Double

    init(roads: [SiteLayout.Road], laneOffset: Double = 4) {
        self.laneOffset = laneOffset
        // Split every centreline segment where another road crosses it, so crossings are nodes.
        var segments: [(LocalPoint, LocalPoint)] = []
        for r in roads { segments += zip(r.centreline, r.centreline.dropFirst()).map { ($0, $1) } }
        for (k, s) in segments.enumerated() {
            var cuts: [Double] = [0, 1]
            for (m, o) in segments.enumerated() where m != k {
                if let f = Self.crossing(s.0, s.1, o.0, o.1) { cuts.append(f) }
            }
            cuts.sort()
            for (f0, f1) in zip(cuts, cuts.dropFirst()) where f1 - f0 > 1e-9 {
                let a = node(Self.lerp(s.0, s.1, f0)), b = node(Self.lerp(s.0, s.1, f1))
                if a != b { edges.append((a, b, nodes[a].distance(to: nodes[b]))) }
            }
        }
    }

    var isEmpty: Bool { edges.isEmpty }

    /// The node at `p` (within 1 cm), added if new.
    private mutating func node(_ p: LocalPoint) -> Int {
        if let i = nodes.firstIndex(where: { $0.distance(to: p) < 0.01 }) { return i }
        nodes.append(p)
        return nodes.count - 1
    }

    /// The drive from `a` to `b`: onto the nearest road, along the roads the shortest way, in
    /// the right-hand lane, and off the road to `b`.
    func route(from a: LocalPoint, to b: LocalPoint) -> [LocalPoint] {
        guard let ea = nearestEdge(a), let eb = nearestEdge(b) else { return [a, b] }
        let pa = ea.point, pb = eb.point
        var centre: [LocalPoint]
        if ea.edge == eb.edge {
            centre = [pa, pb]
        } else {
            // Dijkstra from both ends of a's edge to both ends of b's edge; a few nodes only.
            let ends = [(edges[ea.edge].a), (edges[ea.edge].b)]
            var best: (cost: Double, path: [Int])?
            for s in ends {
                let (dist, prev) = shortest(from: s)
                for t in [edges[eb.edge].a, edges[eb.edge].b] where dist[t].isFinite {
                    let cost = pa.distance(to: nodes[s]) + dist[t] + nodes[t].distance(to: pb)
                    if best == nil || cost < best!.cost {
                        var path = [t]
                        while let p = prev[path[0]] { path.insert(p, at: 0) }
                        best = (cost, path)
                    }
                }
            }
            centre = [pa] + (best?.path.map { nodes[$0] } ?? []) + [pb]
        }
        var clean: [LocalPoint] = []
        for p in centre where clean.last.map({ $0.distance(to: p) > 0.5 }) ?? true { clean.append(p) }
        let lane = clean.count >= 2 ? MovePath.rightOffset(clean, by: laneOffset) : clean
        return [a] + lane + [b]
    }

    private func shortest(from s: Int) -> (dist: [Double], prev: [Int?]) {
        var dist = Array(repeating: Double.infinity, count: nodes.count)
        var prev: [Int?] = Array(repeating: nil, count: nodes.count)
        var done = Array(repeating: false, count: nodes.count)
        dist[s] = 0
        for _ in nodes.indices {
            guard let u = dist.indices.filter({ !done[$0] && dist[$0].isFinite }).min(by: { dist[$0] < dist[$1] }) else { break }
            done[u] = true
            for e in edges where e.a == u || e.b == u {
                let v = e.a == u ? e.b : e.a
                if dist[u] + e.length < dist[v] {
                    dist[v] = dist[u] + e.length
                    prev[v] = u
                }
            }
        }
        return (dist, prev)
    }

    /// The edge nearest to `p`, and the point of it nearest to `p`.
    private func nearestEdge(_ p: LocalPoint) -> (edge: Int, point: LocalPoint)? {
        var best: (edge: Int, point: LocalPoint, d: Double)?
        for (k, e) in edges.enumerated() {
            let q = Self.project(p, nodes[e.a], nodes[e.b])
            let d = q.distance(to: p)
            if best == nil || d < best!.d { best = (k, q, d) }
        }
        return best.map { ($0.edge, $0.point) }
    }

    static func lerp(_ a: LocalPoint, _ b: LocalPoint, _ f: Double) -> LocalPoint {
        LocalPoint(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    static func project(_ p: LocalPoint, _ a: LocalPoint, _ b: LocalPoint) -> LocalPoint {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        guard len2 > 0 else { return a }
        let f = min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
        return lerp(a, b, f)
    }

    /// Where segment a–b crosses segment c–d, as a fraction along a–b strictly inside it.
    static func crossing(_ a: LocalPoint, _ b: LocalPoint, _ c: LocalPoint, _ d: LocalPoint) -> Double? {
        let r = (x: b.x - a.x, y: b.y - a.y), s = (x: d.x - c.x, y: d.y - c.y)
        let den = r.x * s.y - r.y * s.x
        guard abs(den) > 1e-12 else { return nil }
        let t = ((c.x - a.x) * s.y - (c.y - a.y) * s.x) / den
        let u = ((c.x - a.x) * r.y - (c.y - a.y) * r.x) / den
        guard t > 1e-9, t < 1 - 1e-9, u >= 0, u <= 1 else { return nil }
        return t
    }
}
