import CordonCore
import CordonTestSupport
import Testing

/// The engine's door keeps who each source is in a ``SourceTable``: it must answer exactly as a
/// dictionary would, through every mix of learning, relearning and forgetting.
@Suite("The door's hash table answers as a dictionary does")
struct SourceTableTests {
    @Test("200,000 random sets, removals and look-ups over 3,000 tags and plates agree with a dictionary", arguments: [UInt64(1), 7, 0xDEAD_BEEF])
    func differential(seed: UInt64) {
        var rng = SplitMix(state: seed)
        var table = SourceTable<Int>(seed: seed)
        var model: [SourceID: Int] = [:]
        func source(_ n: Int) -> SourceID {
            // Tags and plates with the same text are different sources; some ids are long
            // (stored out of line) and some are not ASCII.
            switch n % 4 {
            case 0: .tag("T\(n)")
            case 1: .plate("T\(n - 1)")
            case 2: .tag("GV-\(n)-a-long-terminal-identifier")
            default: .plate("鲁E\(n)")
            }
        }
        for step in 0..<200_000 {
            let s = source(Int.random(in: 0..<3_000, using: &rng))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<4:
                table[s] = step
                model[s] = step
            case 4..<6:
                table.remove(s)
                model[s] = nil
            case 6:
                table[s] = nil
                model[s] = nil
            default:
                #expect(table[s] == model[s], "step \(step): \(s)")
            }
            if step % 50_000 == 49_999 {
                #expect(table.count == model.count)
                for (k, v) in model where table[k] != v { Issue.record("step \(step): \(k) is \(String(describing: table[k])), not \(v)") }
            }
        }
        table.removeAll()
        #expect(table.count == 0)
        for k in model.keys { #expect(table[k] == nil) }
    }

    @Test("a tag and a plate with the same text are different sources")
    func tagIsNotPlate() {
        var table = SourceTable<String>()
        table[.tag("津AK6887")] = "tag"
        table[.plate("津AK6887")] = "plate"
        #expect(table[.tag("津AK6887")] == "tag")
        #expect(table[.plate("津AK6887")] == "plate")
        table.remove(.tag("津AK6887"))
        #expect(table[.tag("津AK6887")] == nil)
        #expect(table[.plate("津AK6887")] == "plate")
    }
}
