import CordonCore
import Testing

@testable import CordonStore

@Suite("Violations: history and alarms")
struct ViolationTests {
    @Test("a raise opens an alarm, its clear closes it, and the history keeps both bodies")
    func raiseAndClear() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let raised = tankFarmIntrusion()
            try store.record(raised, body: body(of: raised))
            #expect(try store.openAlarms() == [raised])

            let clear = cleared(raised, at: morning.adding(seconds: 90))
            try store.record(clear, body: body(of: clear))
            #expect(try store.openAlarms().isEmpty)

            let history = try store.violations()
            #expect(history.map(\.state) == [.raised, .cleared])
            #expect(history.map(\.body) == [body(of: raised), body(of: clear)])
            #expect(history.map(\.id) == [raised.id, raised.id])
            #expect(history.map(\.time) == [morning, morning.adding(seconds: 90)])
            #expect(history[0].details == raised.details)
            #expect(history[0].subjectKind == "person" && history[0].subjectID == "P0042")
            #expect(history[0].zoneID == "Z-TANK-1" && history[0].scope == "Z-TANK-1")
            #expect(history[0].seq < history[1].seq)

            let alarm = try #require(try store.alarm(id: raised.id))
            #expect(alarm.clearedAt == morning.adding(seconds: 90))
            #expect(alarm.violation == raised)
        }
    }

    @Test("a batch is stored in one go; open alarms come back in raise order")
    func batch() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let a = tankFarmIntrusion(id: "V-b", person: "P2")
            let b = tankFarmIntrusion(id: "V-a", at: morning.adding(seconds: 1), person: "P1")
            var sos = tankFarmIntrusion(id: "V-c", at: morning.adding(seconds: 2), person: "P3")
            sos.kind = .sos
            sos.details = ["battery_pct": 12, "note": "按下求救按钮"]
            try store.record([a, b, sos].map { (violation: $0, body: body(of: $0)) })
            #expect(try store.openAlarms().map(\.id) == ["V-b", "V-a", "V-c"])
            try store.record([(violation: cleared(b, at: morning.adding(seconds: 5)), body: "{}")])
            #expect(try store.openAlarms() == [a, sos])
            #expect(try store.violations(kind: .sos).map(\.id) == ["V-c"])
            #expect(try store.violations(subject: "P1").map(\.state) == [.raised, .cleared])
            #expect(try store.violations(from: morning.adding(seconds: 1), until: morning.adding(seconds: 5)).map(\.id) == ["V-a", "V-c"])
            #expect(try store.violations(limit: 2).count == 2)
        }
    }

    @Test("an open alarm survives closing and re-opening the store, exactly as raised")
    func restart() throws {
        try withTemporaryDirectory { dir in
            let raised = tankFarmIntrusion()
            var odd = tankFarmIntrusion(id: "V-odd", person: "P0099")
            odd.details = ["speed": .number(.infinity), "ratio": .number(0.1 + 0.2), "big": 9_007_199_254_740_991]
            odd.position = nil
            odd.zoneID = nil
            odd.zoneName = nil
            do {
                let store = try Store(directory: dir)
                try store.record([(violation: raised, body: body(of: raised)), (violation: odd, body: body(of: odd))])
                try store.close()
            }
            let store = try Store(directory: dir)
            // JSON has no infinity: a non-finite detail is kept as null rather than failing the commit.
            var expected = odd
            expected.details["speed"] = .null
            #expect(try store.openAlarms() == [raised, expected])
            #expect(try store.violations().map(\.body) == [body(of: raised), body(of: odd)])
            // The clear after the restart finds the alarm by its id.
            try store.record(cleared(raised, at: morning.adding(seconds: 60)), body: "{}")
            #expect(try store.openAlarms() == [expected])
        }
    }

    @Test("the first acknowledgement is kept; unknown ids are refused")
    func acknowledge() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let raised = tankFarmIntrusion()
            try store.record(raised, body: body(of: raised))
            let acked = try store.acknowledge(id: raised.id, by: "控制室-张工", at: morning.adding(seconds: 30))
            #expect(acked.acknowledgedBy == "控制室-张工")
            #expect(acked.acknowledgedAt == morning.adding(seconds: 30))
            try store.acknowledge(id: raised.id, by: "someone-else", at: morning.adding(seconds: 40))
            let alarm = try #require(try store.activeAlarms().first)
            #expect(alarm.acknowledgedBy == "控制室-张工" && alarm.isOpen)

            #expect(throws: StoreError.unknownAlarm(id: "V-nope")) {
                try store.acknowledge(id: "V-nope", by: "x", at: morning)
            }
            // Acknowledging survives a restart.
            try store.close()
            let reopened = try Store(directory: dir)
            #expect(try reopened.activeAlarms().first?.acknowledgedAt == morning.adding(seconds: 30))
        }
    }

    @Test("the same id raised again after its clear opens a fresh alarm")
    func reRaise() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let raised = tankFarmIntrusion()
            try store.record(raised, body: "1")
            try store.acknowledge(id: raised.id, by: "op", at: morning)
            try store.record(cleared(raised, at: morning.adding(seconds: 1)), body: "2")
            var again = raised
            again.time = morning.adding(seconds: 2)
            try store.record(again, body: "3")
            let alarm = try #require(try store.activeAlarms().first)
            #expect(alarm.violation == again && alarm.acknowledgedBy == nil && alarm.clearedAt == nil)
            #expect(try store.violations().map(\.body) == ["1", "2", "3"])
        }
    }

    @Test("a clear of an alarm never raised is history, not an error")
    func orphanClear() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.record(cleared(tankFarmIntrusion(), at: morning), body: "{}")
            #expect(try store.openAlarms().isEmpty)
            #expect(try store.violations().count == 1)
            #expect(try store.alarm(id: tankFarmIntrusion().id) == nil)
        }
    }
}
