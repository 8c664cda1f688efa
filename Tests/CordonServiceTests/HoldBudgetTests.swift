import CordonCore
import CordonService
import Testing

/// `cordon.store.hold_mb`: how much memory a failing store may fill, from the site file.
@Suite("the hold budget: cordon.store.hold_mb is read, bounded, and refused when it cannot be")
struct HoldBudgetTests {
    @Test("absent, it is 256 MB; given, it is taken")
    func read() throws {
        #expect(try HoldBudget(site: ["cordon": ["site": "s"]]) == .default)
        #expect(try HoldBudget(site: ["cordon": ["store": ["hold_mb": 64]]]).megabytes == 64)
        #expect(try HoldBudget(site: ["cordon": ["store": ["hold_mb": 64]]]).trackItems == 64 * 1024 * 4)
    }

    @Test("a value that is not a whole number of megabytes from 16 to 65536, or another member, is refused naming it",
          arguments: [
              (Value.object(["hold_mb": 1e308]), "'cordon.store.hold_mb'"), (.object(["hold_mb": 8]), "'cordon.store.hold_mb'"),
              (.object(["hold_mb": 100.5]), "'cordon.store.hold_mb'"), (.object(["hold_mb": "lots"]), "'cordon.store.hold_mb'"),
              (.object(["hold_gb": 1]), "unknown member 'cordon.store.hold_gb'"), (.array([]), "'cordon.store' must be an object"),
          ])
    func refused(_ store: Value, _ needle: String) {
        #expect { _ = try HoldBudget(site: ["cordon": ["store": store]]) } throws: { "\($0)".contains(needle) }
    }
}
