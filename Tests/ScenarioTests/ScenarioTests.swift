import CordonCore
import CordonWire
import Testing

@Suite("Scenario fixtures: incidents replayed through the engine")
struct ScenarioTests {
    @Test("every fixture publishes exactly what its expected.jsonl says", arguments: ScenarioFixture.all())
    func fixture(_ f: ScenarioFixture) throws {
        let actual = try f.replay()
        let expected = try f.lines("expected.jsonl").map { try JSONText.parse($0) }
        #expect(actual.count == expected.count, "\(f.name): \(actual.count) lines published, \(expected.count) expected:\n\(actual.joined(separator: "\n"))")
        for (i, (e, a)) in zip(expected, actual).enumerated() {
            let value = try JSONText.parse(a)
            #expect(isSubset(e, of: value), "\(f.name) line \(i + 1):\nexpected ⊆ \(JSONText.encode(e))\nactual    \(a)")
        }
    }

    @Test("replaying a fixture twice gives byte-identical output")
    func deterministic() throws {
        for f in ScenarioFixture.all() {
            #expect(try f.replay() == f.replay(), "\(f.name)")
        }
    }

    @Test("there are fixtures to replay")
    func present() {
        #expect(ScenarioFixture.all().count >= 3)
    }
}
