import CordonCore
import Foundation
import GRDB
import Testing

@testable import CordonStore

@Suite("The violation history answers what is asked after an incident")
struct HistoryTests {
    /// Two intrusions, one acknowledged and cleared, the other still up; an overstay elsewhere.
    func incident(_ store: Store) throws -> (first: Violation, second: Violation) {
        let a = tankFarmIntrusion(id: "V-a", at: morning, person: "P0042")
        let b = tankFarmIntrusion(id: "V-b", at: morning.adding(seconds: 600), person: "P0007")
        var c = tankFarmIntrusion(id: "V-c", at: morning.adding(seconds: 60), person: "P0042")
        c.kind = .overstay
        c.zoneID = "Z-WH-1"
        c.scope = "Z-WH-1"
        try store.record(a, body: body(of: a))
        try store.record(c, body: body(of: c))
        try store.acknowledge(id: "V-a", by: "duty officer Li", at: morning.adding(seconds: 120))
        try store.record(b, body: body(of: b))
        let ca = cleared(a, at: morning.adding(seconds: 900))
        try store.record(ca, body: body(of: ca))
        return (a, b)
    }

    @Test("one violation's history is its raise, its acknowledgement (who, when) and its clear, in order")
    func oneViolation() throws {
        let store = try Store.inMemory()
        _ = try incident(store)
        let steps = try store.history(HistoryFilter(id: "V-a"))
        #expect(steps.map(\.step) == [.raised, .acknowledged, .cleared])
        #expect(steps.map(\.time) == [morning, morning.adding(seconds: 120), morning.adding(seconds: 900)])
        #expect(steps[1].by == "duty officer Li" && steps[1].zoneID == "Z-TANK-1" && steps[1].body == nil)
        #expect(steps[0].body?.contains("\"V-a\"") == true)
    }

    @Test("filters narrow by kind, zone, subject, state and window; each alone and together")
    func filters() throws {
        let store = try Store.inMemory()
        _ = try incident(store)
        #expect(try store.history(HistoryFilter(kind: "restricted-zone")).map(\.id) == ["V-a", "V-a", "V-b", "V-a"])
        #expect(try store.history(HistoryFilter(zone: "Z-WH-1")).map(\.id) == ["V-c"])
        #expect(try store.history(HistoryFilter(subject: "P0007")).map(\.id) == ["V-b"])
        #expect(try store.history(HistoryFilter(step: .acknowledged)).map(\.id) == ["V-a"])
        #expect(try store.history(HistoryFilter(step: .cleared)).map(\.id) == ["V-a"])
        #expect(try store.history(HistoryFilter(step: .raised)).map(\.id) == ["V-a", "V-c", "V-b"])
        let window = HistoryFilter(from: morning.adding(seconds: 60), until: morning.adding(seconds: 601))
        #expect(try store.history(window).map(\.step) == [.raised, .acknowledged, .raised])
        #expect(try store.history(HistoryFilter(kind: "restricted-zone", zone: "Z-TANK-1", subject: "P0042", step: .raised)).map(\.id) == ["V-a"])
        #expect(try store.history(HistoryFilter(limit: 2)).count == 2)
    }

    @Test("the query plans use an index for every filter the CLI offers (no full scan of a day)")
    func indexes() throws {
        let store = try Store.inMemory()
        for (filter, index) in [("zone_id = 'Z'", "violation_events_by_zone"), ("kind = 'k'", "violation_events_by_kind"),
                                ("subject_id = 's'", "violation_events_by_subject"), ("id = 'V'", "violation_events_by_id")] {
            let plan = try store.read("plan") { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM violation_events WHERE \(filter) AND t >= 0 AND t < 9 ORDER BY t")
                    .map { $0["detail"] as String? ?? "" }
            }.joined(separator: " ")
            #expect(plan.contains(index), "\(filter): \(plan)")
        }
        let plan = try store.read("plan") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM gate_passages WHERE gate = 'G2' AND t >= 0 AND t < 9 ORDER BY t, seq")
                .map { $0["detail"] as String? ?? "" }
        }.joined(separator: " ")
        #expect(plan.contains("gate_passages_by_gate"), "\(plan)")
    }
}
