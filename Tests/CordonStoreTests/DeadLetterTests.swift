import CordonCore
import Testing

@testable import CordonStore

@Suite("Dead letters")
struct DeadLetterTests {
    @Test("4 KiB raw texts come back whole, newest first, and are counted by reason")
    func roundTripAndCounts() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            // A 5 KiB frame cut to its first 4 KiB, as the ingest does, with multi-byte text in it.
            let frame = Array(#"{"type":"position","tag":"T1001","note":""#.utf8)
                + Array(String(repeating: "定位", count: 900).utf8)
            let big = DeadLetter(receivedAt: morning, reason: .tooLarge(frame.count), raw: frame)
            #expect(big.raw.utf8.count >= 4090)
            var letters = [big]
            for i in 0..<5 {
                letters.append(DeadLetter(receivedAt: morning.adding(seconds: Double(i + 1)),
                                          reason: .missingField("t"), raw: Array(#"{"type":"position"}"#.utf8)))
            }
            letters.append(DeadLetter(receivedAt: morning.adding(seconds: 9), reason: .malformedJSON("unexpected end"),
                                      raw: Array("{\"type\":".utf8)))
            try store.appendDeadLetters(letters)

            let newest = try store.deadLetters(limit: 100)
            #expect(newest == letters.reversed())
            #expect(newest.last?.raw == big.raw)
            #expect(try store.deadLetters(limit: 2) == Array(letters.reversed().prefix(2)))
            #expect(try store.deadLetterCounts() == ["too-large": 1, "missing-field": 5, "malformed-json": 1])

            #expect(try store.pruneDeadLetters(receivedBefore: morning.adding(seconds: 3)) == 3)
            #expect(try store.deadLetterCounts() == ["missing-field": 3, "malformed-json": 1])
        }
    }
}
