import CordonCore
import CordonService
import CordonWire
import FuzzSupport
import Foundation
import Geometry

// libFuzzer harness for the site loader (docs/fuzzing.md): the input is a site file's text.
// It is parsed and loaded as `SiteFile` does; a site that loads is summarised, encoded as
// `site.get` does, started as serve does (an engine on it, the clock moving, positions at its
// corners and centre), and swapped in for the scenario park as `site.reload` does.

private let probe: [String] = [
    #"{"op":"headcount"}"#, #"{"op":"parking"}"#, #"{"op":"presence"}"#, #"{"op":"alarms.active"}"#,
]

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSite(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    guard let doc = try? JSONText.parse(input) else { return 0 }
    let site: Site
    do {
        site = try SiteLoader.load(doc)
    } catch {
        _ = error.problems.map(\.message)
        return 0
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
        _ = engine.handle(.position(PositionReport(source: .tag("T\(i)"), time: t, place: .local(x: x, y: y, frame: nil), level: 0, moving: false)))
    }
    _ = engine.advance(to: t.adding(seconds: 3600))
    for r in probe { if let v = try? JSONText.parse(r) { _ = engine.control(v, at: engine.now) } }

    // site.reload: the scenario park with people in it, replaced by the new site.
    let p = FuzzWorld.pipeline(store: false, warm: true)
    _ = p.engine.replace(site: site)
    _ = p.engine.advance(to: p.engine.now.adding(seconds: 600))
    return 0
}
