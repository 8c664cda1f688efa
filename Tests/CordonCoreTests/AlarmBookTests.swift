import CordonCore
import Testing

@Suite("The alarm book keys conditions by number and forgets the names of those that ended")
struct AlarmBookTests {
    private func violation(_ kind: ViolationKind, _ kindOfSubject: String, _ id: String, scope: String = "", at t: Double) -> Violation {
        Violation(id: "", kind: kind, state: .raised, severity: kind.defaultSeverity, time: at(t),
                  subject: .init(kind: kindOfSubject, id: id), zoneID: nil, zoneName: nil, position: nil, details: [:], scope: scope)
    }

    @Test("a condition is one (kind, subject, scope): raised once, found by its names, cleared once")
    func identity() {
        var book = AlarmBook()
        do { let changed = book.raise(violation(.restrictedZone, "person", "P1", scope: "Z1", at: 0)); #expect(changed) }
        do { let changed = book.raise(violation(.restrictedZone, "person", "P1", scope: "Z1", at: 5)); #expect(!changed, "already up: not raised again") }
        do { let changed = book.raise(violation(.restrictedZone, "person", "P1", scope: "Z2", at: 5)); #expect(changed, "another zone is another condition") }
        do { let changed = book.raise(violation(.overstay, "person", "P1", scope: "Z1", at: 5)); #expect(changed, "another kind is another condition") }
        do { let changed = book.raise(violation(.restrictedZone, "vehicle", "P1", scope: "Z1", at: 5)); #expect(changed, "a vehicle is not a person of the same id") }
        #expect(book.isRaised(.restrictedZone, .init(.person("P1")), scope: "Z1"))
        #expect(!book.isRaised(.restrictedZone, .init(.person("P2")), scope: "Z1"))
        #expect(book.active(kind: .restrictedZone, subject: .init(.person("P1"))).map(\.scope).sorted() == ["Z1", "Z2"])

        do { let changed = book.clear(.restrictedZone, .init(.person("P1")), scope: "Z1", at: at(9)); #expect(changed) }
        do { let changed = book.clear(.restrictedZone, .init(.person("P1")), scope: "Z1", at: at(10)); #expect(!changed, "cleared already") }
        #expect(!book.isRaised(.restrictedZone, .init(.person("P1")), scope: "Z1"))
        #expect(book.isRaised(.restrictedZone, .init(.person("P1")), scope: "Z2"))
    }

    @Test("alarm ids are what they were when keys were strings: V- and a digest of kind, subject, scope and time")
    func idsUnchanged() throws {
        var book = AlarmBook()
        book.raise(violation(.restrictedZone, "person", "P0042", scope: "Z-TANK-1", at: 0))
        let v = try #require(book.violation(.restrictedZone, .init(.person("P0042")), scope: "Z-TANK-1"))
        #expect(v.id == StableID.violation(kind: "restricted-zone", subject: "person:P0042", scope: "Z-TANK-1", at: at(0))
            .unique(prefix: "V-") { _ in false })
        #expect(book.violation(id: v.id)?.scope == "Z-TANK-1")
    }

    @Test("a month of refused passages, each its own alarm scoped to its decision, leaves no names behind once acknowledged")
    func namesAreForgotten() {
        var book = AlarmBook()
        for i in 0..<5_000 {
            book.raise(violation(.accessDenied, "person", "P\(i % 50)", scope: "D-\(i)", at: Double(i)))
        }
        #expect(book.active.count == 5_000)
        #expect(book.numberedNames == 5_050, "50 people and 5,000 decisions")
        for v in book.active.values.sorted(by: { $0.id < $1.id }) { _ = book.acknowledge(id: v.id, by: "guard", at: at(9_000)) }
        #expect(book.active.isEmpty)
        #expect(book.numberedNames == 0)
        do { let changed = book.raise(violation(.accessDenied, "person", "P7", scope: "D-new", at: 9_001)); #expect(changed, "numbers freed are given again") }
        #expect(book.numberedNames == 2)
    }

    @Test("acknowledgements are kept with the condition and end with it; a restored alarm keeps its id and its acknowledgement")
    func acknowledgementsAndRestore() throws {
        var book = AlarmBook()
        book.raise(violation(.restrictedZone, "person", "P1", scope: "Z1", at: 0))
        let v = try #require(book.active.values.first)
        _ = book.acknowledge(id: v.id, by: "operator-7", at: at(3))
        #expect(book.acknowledgement(id: v.id)?.by == "operator-7")
        #expect(book.isRaised(.restrictedZone, .init(.person("P1")), scope: "Z1"), "a lasting condition stays up when seen")

        var restarted = AlarmBook()
        restarted.restore(v, acknowledgement: book.acknowledgement(id: v.id))
        #expect(restarted.violation(id: v.id) == v)
        #expect(restarted.acknowledgement(id: v.id)?.by == "operator-7")
        do { let changed = restarted.raise(violation(.restrictedZone, "person", "P1", scope: "Z1", at: 10)); #expect(!changed, "up already: not published twice") }

        book.clear(.restrictedZone, .init(.person("P1")), scope: "Z1", at: at(20))
        #expect(book.acknowledgement(id: v.id) == nil)
        #expect(book.numberedNames == 0)
    }
}
