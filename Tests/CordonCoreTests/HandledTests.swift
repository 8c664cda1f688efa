import CordonCore
import CordonTestSupport
import Testing
import Geometry

@Suite("One message, one result: everything the service needs comes back from handle")
struct HandledTests {
    private func fix(_ tag: String, _ t: Double, _ x: Double, _ y: Double) -> IngestMessage {
        .position(PositionReport(source: .tag(tag), time: at(t), place: .local(x: x, y: y, frame: nil), moving: true))
    }

    @Test("an accepted position says where it left its subject: slot, point, level and first zone")
    func positionCarriesItsTrack() throws {
        let e = try GateSite.engine()
        #expect(e.handle(fix("T1", -1, -300, 200)).track == nil, "off by default: nobody keeps tracks")
        e.reportsTracks = true
        let outside = e.handle(fix("T1", 0, -300, 200))
        #expect(outside.disposition == .accepted)
        let first = try #require(outside.track)
        #expect(first.key == .person("P1") && first.point == LocalPoint(x: -300, y: 200) && first.level == 0)
        #expect(first.firstZoneID == nil)

        let inLab = try #require(e.handle(fix("T1", 1, 120, 120)).track)
        #expect(inLab.slot == first.slot, "the same subject keeps its slot")
        #expect(inLab.firstZoneID == "Z-LAB")
        #expect(inLab.zoneSignature != first.zoneSignature, "the zone set changed")

        let other = try #require(e.handle(fix("T2", 2, 300, 200)).track)
        #expect(other.key == .person("P2") && other.slot != first.slot)
    }

    @Test("a late or refused position has no track; a gate passage has none either")
    func onlyAcceptedPositionsHaveATrack() throws {
        let e = try GateSite.engine()
        e.reportsTracks = true
        _ = e.handle(fix("T1", 10, -300, 200))
        let late = e.handle(fix("T1", 5, -300, 210))
        #expect(late.disposition == .late && late.track == nil && late.outputs.isEmpty)
        let outside = e.handle(fix("T1", 11, 5000, 0))
        #expect(outside.track == nil)
        let gate = e.handle(passage("G1", 12, .in, .person("P2")))
        #expect(gate.disposition == .accepted && gate.track == nil)
    }

    @Test("a gate passage returns its decision as an access output and, when kept, its gate record")
    func gateRecordsComeBackWithTheirPassage() throws {
        let e = try GateSite.engine()
        let unkept = e.handle(passage("G1", 0, .in, .person("P1")))
        #expect(unkept.gateRecords.isEmpty, "off by default: an engine on its own keeps no records")
        guard case .access(let d)? = unkept.outputs.first else {
            Issue.record("expected the access decision first, got \(unkept.outputs)")
            return
        }
        #expect(d.gate == "G1" && d.granted)

        e.keepsGateRecords = true
        let kept = e.handle(passage("G1", 5, .in, .person("P2")))
        #expect(kept.gateRecords.count == 1)
        #expect(kept.gateRecords.first?.decision.subject.id == "P2")
        if case .entered(let entry)? = kept.gateRecords.first?.presence {
            #expect(entry.subject == .person("P2") && entry.gate == "G1")
        } else {
            Issue.record("P2 was let in: the record says so")
        }
        #expect(e.handle(passage("G1", 6, .out, .person("P2"))).gateRecords.count == 1, "each passage its own record, none left over")
    }

    @Test("outputs name their family: access decisions and roll-call events are not told apart by topic strings")
    func outputsAreTyped() throws {
        let e = try GateSite.engine()
        let out = e.handle(passage("G3", 0, .in, .person("PB"))).outputs
        #expect(out.contains { if case .access = $0 { return true }; return false })
        #expect(out.contains { if case .violation(let v) = $0 { return v.kind == .accessDenied }; return false })
        #expect(!out.contains { $0.isMuster })
        let started = e.control(["op": "muster.start", "mode": "drill", "by": "commander"], at: at(1)).outputs
        #expect(started.first.map { if case .muster(.started, _, _) = $0 { return true }; return false } == true)
        #expect(started.allSatisfy { $0.isMuster })
    }
}
