import CordonCore
import CordonService
import CordonWire
import Foundation
import Testing

/// A replay file's control lines (docs/protocol.md, control): no role, no audit, and a change
/// that names no `by` made by `replay`, as `serve` makes it by its caller, so that what operators
/// sent replays as `serve` took it.
@Suite("replay: control lines without by are made by replay, as serve makes them by its caller")
struct ReplayControlTests {
    @Test("a drill started and a worker marked safe without by, as a console sends them: both taken, by replay")
    func musterWithoutBy() throws {
        let sitePath = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        let site = try SiteFile.load(path: sitePath)
        var out: [Value] = []
        let runner = ReplayRunner(site: site, sitePath: sitePath, registry: nil) { line in
            if let v = try? JSONText.parse(Array(line.utf8)) { out.append(v) }
        }
        let t = 1_795_334_400_000
        let lines = [
            #"{"type":"control","t":\#(t),"request":{"op":"registry.upsert","people":[{"id":"P0042","name":"王工","enterprise":"E02","tag":"T1001"}]}}"#,
            #"{"type":"gate","gate":"G3","t":\#(t + 1_000),"direction":"in","person":"P0042"}"#,
            #"{"type":"control","t":\#(t + 2_000),"request":{"op":"muster.start","mode":"drill"}}"#,
            #"{"type":"control","t":\#(t + 3_000),"request":{"op":"muster.mark","person":"P0042","note":"seen at the gate"}}"#,
        ].map { Array($0.utf8) }
        let summary = runner.run(input: lines, tailSeconds: 0)
        #expect(summary.lines == 4)
        let started = try #require(out.first { $0["topic"] == "muster.started" })
        #expect(started["body"]?["by"] == "replay", "\(started)")
        let accounted = try #require(out.first { $0["topic"] == "muster.accounted" })
        #expect(accounted["body"]?["marked_by"] == "replay" && accounted["body"]?["person"] == "P0042", "\(accounted)")
    }
}
