import CordonCore
import Testing

@Suite("Violation kinds index per-kind tables")
struct ViolationKindOrdinalTests {
    @Test("each kind's ordinal is its place among all kinds")
    func ordinals() {
        #expect(ViolationKind.allCases.map(\.ordinal) == Array(ViolationKind.allCases.indices))
    }
}
