/// `store-failing`: the service's store cannot write (disk full, read-only, locked, corrupt).
///
/// A safety system must never go silent because its record cannot be kept, so the rules go on
/// and their alarms go out marked not stored; this condition tells the control room that the
/// record is behind. It is raised, once, at the first observation of a failing store, with
/// the store's error and what is held in memory; it is cleared at the first observation that
/// writes succeed again. Its subject is the service itself (kind `service`, id `store`).
enum StoreFailingRule {
    static let subjectID = "store"
    static let subject = AlarmBook.Subject.service(subjectID)

    /// Raises or clears the condition to match `trouble` (nil: the store writes).
    static func observe(_ trouble: StoreTrouble?, at t: Instant, context c: inout RuleContext) {
        let raised = c.alarms.isRaised(.storeFailing, subject)
        if let trouble, !raised {
            c.raise(.storeFailing, subject: .service(id: subjectID, name: "the service's store"), scope: "", at: t,
                    zone: nil, position: nil, details: [
                        "error": .string(trouble.error), "held_events": .int(trouble.heldEvents),
                        "held_bytes": .int(trouble.heldBytes),
                        "effect": "alarms go out at once marked \"stored\": false and are held in memory until the store takes writes again",
                    ])
        } else if trouble == nil, raised {
            c.alarms.clear(.storeFailing, subject, at: t) { _ in ["ended": "the store takes writes again; what was held is stored"] }
        }
    }
}
