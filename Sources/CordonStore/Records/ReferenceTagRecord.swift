import CordonCore
import GRDB

/// A row of `reference_tags`: a reference tag and its surveyed point.
struct ReferenceTagRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "reference_tags"

    var id: String
    var tag: String
    var x: Double
    var y: Double
    var level: Int

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, tag, x, y, level
    }

    init(_ r: ReferenceTag) {
        id = r.id
        tag = r.tag
        x = r.x
        y = r.y
        level = r.level
    }

    var reference: ReferenceTag { ReferenceTag(id: id, tag: tag, x: x, y: y, level: level) }
}
