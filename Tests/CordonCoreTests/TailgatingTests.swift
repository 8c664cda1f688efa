import CordonCore
import Testing

@Suite("Tailgating: more people through than credentials shown")
struct TailgatingTests {
    @Test("three counted on one card: the holder passes, tailgating is raised against them with the count")
    func raised() throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G3", 0, .in, .card("C1"), count: 3))
        #expect(out.granted && out.reasons == ["tailgating"])
        #expect(out.decision?["count"] == 3)
        let v = try #require(out.violations.first)
        #expect(v.kind == .tailgating && v.subject.id == "P1" && v.details["gate"] == "G3")
        #expect(v.details["count"] == 3 && v.details["followers"] == 2 && v.details["credentials"] == 1)
    }

    @Test("one counted is one person; a count on a plate is the people in the vehicle")
    func notRaised() throws {
        let e = try GateSite.engine()
        #expect(e.pass(passage("G3", 0, .in, .card("C1"), count: 1)).violations.isEmpty)
        #expect(e.pass(passage("G1", 1, .in, .plate("鲁E20001"), count: 3)).violations.isEmpty)
    }

    @Test("tailgating on a refused credential is raised as well as the denial")
    func refusedAndTailgated() throws {
        let e = try GateSite.engine()
        let out = e.pass(passage("G3", 0, .in, .card("CB"), count: 2))
        #expect(!out.granted && out.reasons == ["blacklisted", "tailgating"])
        #expect(out.raised == [.accessDenied, .tailgating])
    }
}
