/// Who a gate credential stands for: a registered person or vehicle, a vehicle the registry
/// does not know (a visitor, admitted by booking), or a credential that names no one.
struct GateSubject {
    /// The subject's identity for the ledger and for violations. Nil only for a credential
    /// that identifies nobody at all (an unknown card, an unreadable plate).
    var key: SubjectKey?
    var person: Person?
    var vehicle: Vehicle?
    /// The canonical plate, for a plate credential that could be read.
    var plate: String?
    /// Why the credential identifies no one (`unknown-person`, `unknown-card`, `malformed-plate`).
    var problem: AccessReason?
    /// How the subject appears in the decision and in violations.
    var described: Violation.Subject

    /// Inlined so that the caller reads the registry in place: a call would copy the whole rule
    /// context (every alarm table retained and released) for each passage.
    @inline(__always)
    static func resolve(_ credential: GatePassage.Credential, context c: RuleContext) -> GateSubject {
        switch credential {
        case .person(let id):
            if let p = c.registry.people[id] {
                return GateSubject(key: .person(id), person: p, described: c.describe(.person(id)))
            }
            return GateSubject(key: .person(id), problem: AccessReason(.unknownPerson, "no person '\(id)' in the registry"),
                               described: .init(kind: "person", id: id))
        case .card(let card):
            if let p = c.registry.person(withCard: card) {
                return GateSubject(key: .person(p.id), person: p, described: c.describe(.person(p.id)))
            }
            return GateSubject(problem: AccessReason(.unknownCard, "card '\(card)' is no one's card"),
                               described: .init(kind: "person", id: card))
        case .plate(let raw):
            switch PlateNumber.parse(raw) {
            case .failure(let e):
                return GateSubject(problem: AccessReason(.malformedPlate, e.description),
                                   described: .init(kind: "vehicle", id: e.normalized.isEmpty ? raw : e.normalized))
            case .success(let plate):
                let v = c.registry.vehicles[plate.text]
                return GateSubject(key: .vehicle(plate.text), vehicle: v, plate: plate.text,
                                   described: c.describe(.vehicle(plate.text)))
            }
        }
    }

    /// The key violations are raised against (a card number or a plate as read, when nothing better).
    var violationKey: SubjectKey {
        if let key { return key }
        return described.kind == "vehicle" ? .vehicle(described.id) : .person(described.id)
    }

    var isVehicle: Bool { if case .vehicle? = key { return true }; return described.kind == "vehicle" }
}
