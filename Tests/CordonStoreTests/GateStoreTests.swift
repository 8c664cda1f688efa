import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("Gates in the store: decisions, the presence ledger and bookings")
struct GateStoreTests {
    static let truck = SubjectKey.vehicle("鲁E12345")

    static func booking(status: Booking.Status = .active) -> Booking {
        var b = Booking(id: "B1", plate: "鲁E12345", gate: "G2", route: "R1", destination: "E03",
                        window: .init(from: morning, until: morning.adding(seconds: 3600)), maxStayMin: 240,
                        cargo: Cargo(un: "1203", hazardClass: "2.3", name: "x"), waybill: "WB1", createdAt: morning)
        b.status = status
        if status == .used { b.usedAt = morning.adding(seconds: 60) }
        return b
    }

    static func record(_ dir: GatePassage.Direction, at t: Instant, presence: GateRecord.PresenceChange?,
                       booking: Booking? = nil) -> GateRecord {
        let d = AccessDecision(
            id: "A-\(t.milliseconds)-\(dir.rawValue)", gate: "G2", direction: dir, time: t,
            subject: .init(kind: "vehicle", id: "鲁E12345"), credential: .plate("鲁E12345"), granted: true,
            reasons: [.warning(.tailgating, "x")], booking: booking?.id)
        return GateRecord(decision: d, presence: presence, booking: booking)
    }

    @Test("a passage's decision, ledger change and booking are committed together with the violations")
    func together() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.saveBooking(Self.booking())
            let entry = PresenceEntry(subject: Self.truck, since: morning.adding(seconds: 60), gate: "G2", booking: "B1",
                                      enterprise: "E03", decision: "A-1")
            let v = tankFarmIntrusion()
            try store.record([(v, body(of: v))], gate: [
                (Self.record(.in, at: entry.since, presence: .entered(entry), booking: Self.booking(status: .used)), "{\"a\":1}"),
            ])
            #expect(try store.loadPresence() == [entry])
            #expect(try store.loadBookings() == [Self.booking(status: .used)])
            #expect(try store.openAlarms().map(\.id) == [v.id])
            let rows = try store.passages()
            #expect(rows.count == 1 && rows[0].body == "{\"a\":1}" && rows[0].decision == "granted" && rows[0].gate == "G2")

            try store.record([], gate: [(Self.record(.out, at: morning.adding(seconds: 600), presence: .left(Self.truck)), "{}")])
            #expect(try store.loadPresence().isEmpty)
            #expect(try store.passages(gate: "G2").count == 2)
            #expect(try store.passages(from: morning.adding(seconds: 300)).count == 1)
            try store.close()
        }
    }

    @Test("a booking saved again replaces the old one")
    func bookingReplaced() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.saveBooking(Self.booking())
            try store.saveBooking(Self.booking(status: .used))
            #expect(try store.loadBookings().map(\.status) == [.used])
            try store.close()
        }
    }
}
