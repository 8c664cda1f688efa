import CordonCore
import Testing

@testable import CordonStore

@Suite("Registry: people and vehicles")
struct RegistryTests {
    static let welder = Person(
        id: "P0042", name: "王小明", role: "welder", enterprise: "E03", tag: "T1001", card: "C67544651",
        contractor: true, inductionUntil: Expiry(text: "2027-03-31"), blacklisted: false,
        qualifications: [
            Qualification(name: "hot-work", expires: Expiry(text: "2027-06-30")),
            Qualification(name: "confined-space", expires: Expiry(text: "2027-01-15T08:30:00.000Z")),
            Qualification(name: "first-aid"),
        ])
    static let guardian = Person(id: "P0043", name: "李娜", role: "guardian", enterprise: "E03")
    static let visitor = Person(id: "P0001", name: "Zoë Ó Briain", blacklisted: true)

    @Test("people and vehicles come back exactly, sorted by id and plate")
    func roundTrip() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.upsertPeople([Self.welder, Self.guardian, Self.visitor])
            let truck = Vehicle(plate: "鲁E12345", kind: .hazmat, enterprise: "E03", tag: "GV0001")
            let van = Vehicle(plate: "鲁A00001", kind: .staff, blacklisted: true)
            try store.upsertVehicles([truck, van])
            try store.close()

            let reopened = try Store(directory: dir)
            let registry = try reopened.loadRegistry()
            #expect(registry.people == [Self.visitor, Self.welder, Self.guardian])
            #expect(registry.vehicles == [van, truck])
            // The expiries kept their form: a date stays a date, an instant an instant.
            let quals = try #require(registry.people.first { $0.id == "P0042" }).qualifications
            #expect(quals.map { $0.expires?.text } == ["2027-06-30", "2027-01-15T08:30:00.000Z", nil])
            if case .endOfDay(2027, 6, 30)? = quals[0].expires {} else { Issue.record("date expiry lost its form") }
            if case .instant? = quals[1].expires {} else { Issue.record("instant expiry lost its form") }
        }
    }

    @Test("upsert replaces a record whole, and remove deletes it")
    func upsertAndRemove() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            try store.upsertPeople([Self.welder])
            var changed = Self.welder
            changed.qualifications = []
            changed.inductionUntil = nil
            changed.name = "王小明（已离职）"
            try store.upsertPeople([changed])
            #expect(try store.loadRegistry().people == [changed])

            #expect(try store.removePerson(id: "P0042"))
            #expect(try !store.removePerson(id: "P0042"))
            try store.upsertVehicles([Vehicle(plate: "鲁E12345", kind: .hazmat)])
            #expect(try store.removeVehicle(plate: "鲁E12345"))
            #expect(try !store.removeVehicle(plate: "鲁E12345"))
            let empty = try store.loadRegistry()
            #expect(empty.people.isEmpty && empty.vehicles.isEmpty)
        }
    }
}
