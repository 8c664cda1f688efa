import CordonCore
import GRDB

/// A row of `vehicles`.
struct VehicleRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "vehicles"

    var plate: String
    var kind: String
    var enterprise: String?
    var tag: String?
    var blacklisted: Bool

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case plate, kind, enterprise, tag, blacklisted
    }

    init(_ v: Vehicle) {
        plate = v.plate
        kind = v.kind.rawValue
        enterprise = v.enterprise
        tag = v.tag
        blacklisted = v.blacklisted
    }

    func vehicle() throws(StoreError) -> Vehicle {
        guard let k = Vehicle.Kind(rawValue: kind) else {
            throw .corruptRecord(table: Self.databaseTableName, key: plate, reason: "unknown vehicle kind '\(kind)'")
        }
        return Vehicle(plate: plate, kind: k, enterprise: enterprise, tag: tag, blacklisted: blacklisted)
    }
}
