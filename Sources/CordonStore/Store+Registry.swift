import CordonCore
import GRDB

/// The registry: people and vehicles, as `registry.upsert` and `import` left them.
extension Store {
    /// Inserts or replaces people by `id`, in one transaction.
    public func upsertPeople(_ people: [Person]) throws(StoreError) {
        guard !people.isEmpty else { return }
        try write("store \(people.count) people") { db in
            for p in people {
                try PersonRecord(p).insert(db, onConflict: .replace)
            }
        }
    }

    /// Inserts or replaces vehicles by (normalised) plate, in one transaction.
    public func upsertVehicles(_ vehicles: [Vehicle]) throws(StoreError) {
        guard !vehicles.isEmpty else { return }
        try write("store \(vehicles.count) vehicles") { db in
            for v in vehicles {
                try VehicleRecord(v).insert(db, onConflict: .replace)
            }
        }
    }

    /// Removes a person; returns whether there was one.
    @discardableResult
    public func removePerson(id: String) throws(StoreError) -> Bool {
        try write("remove person \(id)") { db in try PersonRecord.deleteOne(db, key: id) }
    }

    /// Removes a vehicle by its normalised plate; returns whether there was one.
    @discardableResult
    public func removeVehicle(plate: String) throws(StoreError) -> Bool {
        try write("remove vehicle \(plate)") { db in try VehicleRecord.deleteOne(db, key: plate) }
    }

    /// The whole registry, people by id and vehicles by plate (byte order of their UTF-8).
    public func loadRegistry() throws(StoreError) -> (people: [Person], vehicles: [Vehicle]) {
        let rows = try read("load the registry") { db in
            (try PersonRecord.order(PersonRecord.CodingKeys.id).fetchAll(db),
             try VehicleRecord.order(VehicleRecord.CodingKeys.plate).fetchAll(db))
        }
        var people: [Person] = []
        people.reserveCapacity(rows.0.count)
        for r in rows.0 { people.append(try r.person()) }
        var vehicles: [Vehicle] = []
        vehicles.reserveCapacity(rows.1.count)
        for r in rows.1 { vehicles.append(try r.vehicle()) }
        return (people, vehicles)
    }
}
