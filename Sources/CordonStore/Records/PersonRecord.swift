import CordonCore
import GRDB

/// A row of `people`.
struct PersonRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "people"

    var id: String
    var name: String?
    var role: String?
    var enterprise: String?
    var tag: String?
    var card: String?
    var contractor: Bool
    /// `Expiry.text`: a date or an RFC 3339 instant, as it was given.
    var inductionUntil: String?
    var blacklisted: Bool
    /// JSON array of `{"name","expires"}`.
    var qualifications: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, name, role, enterprise, tag, card, contractor
        case inductionUntil = "induction_until"
        case blacklisted, qualifications
    }

    init(_ p: Person) throws {
        id = p.id
        name = p.name
        role = p.role
        enterprise = p.enterprise
        tag = p.tag
        card = p.card
        contractor = p.contractor
        inductionUntil = p.inductionUntil?.text
        blacklisted = p.blacklisted
        qualifications = try StoreJSON.encode(p.qualifications)
    }

    func person() throws(StoreError) -> Person {
        var induction: Expiry?
        if let text = inductionUntil {
            guard let e = Expiry(text: text) else {
                throw .corruptRecord(table: Self.databaseTableName, key: id,
                                     reason: "induction_until '\(text)' is neither a date nor an instant")
            }
            induction = e
        }
        let quals: [Qualification]
        do {
            quals = try StoreJSON.decode([Qualification].self, from: qualifications)
        } catch {
            throw .corruptRecord(table: Self.databaseTableName, key: id, reason: "qualifications: \(error)")
        }
        return Person(id: id, name: name, role: role, enterprise: enterprise, tag: tag, card: card,
                      contractor: contractor, inductionUntil: induction, blacklisted: blacklisted,
                      qualifications: quals)
    }
}
