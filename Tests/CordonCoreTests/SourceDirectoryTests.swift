import CordonCore
import CordonTestSupport
import Testing

/// The engine's door (SourceDirectory.swift) remembers who each tag stands for; what it
/// remembers must follow the registry exactly, or positions land on the wrong subject.
@Suite("The engine's door: each tag is looked up once, and again whenever the registry changes")
struct SourceDirectoryTests {
    static func engine() throws -> Engine {
        var s = TestSite()
        s.zone("Z-YARD", TestSite.rect(0, 0, 100, 100))
        return Engine(site: try s.load())
    }

    @Test("a tag first seen as unknown reports for the person it is then registered to, from the next position")
    func registeredLater() throws {
        let e = try Self.engine()
        _ = e.run([pos("T9", 1, 10, 10)])
        #expect(e.state(of: .tag("T9"))?.lastPositionTime == at(1))
        _ = e.control(["op": "registry.upsert", "people": [["id": "P9", "name": "王五", "tag": "T9"]]], at: at(2))
        _ = e.run([pos("T9", 3, 20, 20)])
        #expect(e.state(of: .person("P9"))?.lastPositionTime == at(3), "the new owner has the position")
    }

    @Test("an alert from a reference tag does not turn its positions into a subject's")
    func referenceAlert() throws {
        let e = try Self.engine()
        _ = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TR1", "x": 50, "y": 50]]], at: at(0))
        _ = e.run([.alert(TagAlert(tag: "TR1", time: at(1), kind: .sos)), pos("TR1", 2, 50, 50), pos("TR1", 3, 50.2, 50)])
        #expect(e.state(of: .tag("TR1"))?.lastPositionTime == nil, "positions went to the reference, not to a tag subject")
        let got = try e.control(["op": "registry.get", "reference": "REF-1"], at: at(4)).reply.get()
        #expect(got["reference"]?["last_fix"] == .time(at(3)))
    }

    @Test("a reference tag removed from the registry is an unknown tag from its next position")
    func referenceRemoved() throws {
        let e = try Self.engine()
        _ = e.control(["op": "registry.upsert", "references": [["id": "REF-1", "tag": "TR1", "x": 50, "y": 50]]], at: at(0))
        _ = e.run([pos("TR1", 1, 50, 50)])
        #expect(e.state(of: .tag("TR1")) == nil)
        _ = e.control(["op": "registry.remove", "references": ["REF-1"]], at: at(2))
        _ = e.run([pos("TR1", 3, 50, 50)])
        #expect(e.state(of: .tag("TR1"))?.lastPositionTime == at(3))
    }
}
