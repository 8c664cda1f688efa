import CordonCore
import CordonService
import CordonWire
import Geometry

extension FuzzTargets {
    private static let probe: [String] = [
        #"{"op":"headcount"}"#, #"{"op":"parking"}"#, #"{"op":"presence"}"#, #"{"op":"alarms.active"}"#,
    ]

    /// One input of the site harness (docs/fuzzing.md): a site file's text, parsed and loaded
    /// as `SiteFile` does. A site that loads is summarised, encoded as `site.get` does, started
    /// as serve does (an engine on it, positions at its corners and centre, an hour of timers),
    /// and swapped in for the scenario park with people in it, as `site.reload` does. Traps on
    /// what a fuzzer must report.
    public static func site(_ input: UnsafeRawBufferPointer) {
        guard let doc = try? JSONText.parse(input) else { return }
        let site: Site
        do {
            site = try SiteLoader.load(doc)
        } catch {
            _ = error.problems.map(\.message)
            return
        }
        _ = site.summary
        _ = JSONText.encodeBytes(site.document)

        // serve: an engine on the new site, a few positions, timers running.
        let engine = Engine(site: site, start: FuzzWorld.start)
        let b = site.boundary.shape.bounds
        let points = [(b.minX, b.minY), (b.maxX, b.maxY), ((b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2)]
        var t = FuzzWorld.start
        for (i, (x, y)) in points.enumerated() where x.isFinite && y.isFinite {
            t = t.adding(seconds: 5)
            _ = engine.handle(.position(PositionReport(source: .tag("T\(i)"), time: t, place: .local(x: x, y: y, frame: nil),
                                                       level: 0, moving: false)))
        }
        _ = engine.advance(to: t.adding(seconds: 3600))
        for r in probe {
            guard let v = try? JSONText.parse(r), case .engine(let command)? = try? ControlOp.of(v).route(v) else { continue }
            _ = engine.control(command, at: engine.now)
        }

        // site.reload: the scenario park with people in it, replaced by the new site.
        let p = FuzzWorld.pipeline(store: false, warm: true)
        _ = p.engine.replace(site: site)
        _ = p.engine.advance(to: p.engine.now.adding(seconds: 600))
    }
}
