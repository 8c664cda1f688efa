/// Why a gate passage was refused, or what is worth knowing about one that was allowed.
///
/// Every reason has a stable `code` (documented in `docs/gates.md`; never renamed), a message
/// for the guard at the gate, and an effect: `deny` reasons refuse the passage, `warn` reasons
/// are recorded and published with the decision but do not refuse it.
public struct AccessReason: Sendable, Hashable, Codable {
    /// The stable reason codes.
    public enum Code: String, Sendable, CaseIterable, Codable {
        // The credential.
        /// `person` names no one in the registry.
        case unknownPerson = "unknown-person"
        /// `card` is no one's card.
        case unknownCard = "unknown-card"
        /// The plate is not in the registry and has no booking.
        case unknownPlate = "unknown-plate"
        /// The plate cannot be read as a plate.
        case malformedPlate = "malformed-plate"
        // The subject.
        /// The person or vehicle is blacklisted.
        case blacklisted
        /// A contractor with no safety induction on record.
        case inductionMissing = "induction-missing"
        /// The safety induction has expired.
        case inductionExpired = "induction-expired"
        /// The gate requires a qualification the person does not hold.
        case qualificationMissing = "qualification-missing"
        /// The gate requires a qualification and the person's has expired.
        case qualificationExpired = "qualification-expired"
        // The gate.
        /// A vehicle at a gate of the wrong class (hazmat trucks only at hazmat gates, no
        /// vehicles at staff gates, only hazmat trucks at hazmat gates).
        case wrongGateClass = "wrong-gate-class"
        /// An ordinary passage at an emergency gate.
        case emergencyGate = "emergency-gate"
        // The booking.
        /// A vehicle that needs a booking (hazmat) has none.
        case bookingRequired = "booking-required"
        /// The booking's window has not opened yet.
        case bookingNotYetValid = "booking-not-yet-valid"
        /// The booking's window has closed.
        case bookingExpired = "booking-expired"
        /// The booking is for another gate.
        case bookingWrongGate = "booking-wrong-gate"
        /// The booking's one trip has been made.
        case bookingUsed = "booking-used"
        /// The booking was cancelled.
        case bookingCancelled = "booking-cancelled"
        // Anti-passback (deny at a `hard` gate, warn at `soft` and `off`).
        /// Entry while already on site by the gate record.
        case alreadyInside = "already-inside"
        /// Exit with no entry on record.
        case notInside = "not-inside"
        // Warnings.
        /// The gate counted more people than credentials.
        case tailgating
        /// A tag issued at entry was not handed back at exit.
        case tagNotReturned = "tag-not-returned"
        /// A different tag was handed back from the one issued.
        case wrongTagReturned = "wrong-tag-returned"
        /// The tag to issue belongs to someone else.
        case tagInUse = "tag-in-use"
        /// The gate decided by itself (`granted`) against the rules.
        case gateDisagrees = "gate-disagrees"
    }

    /// Whether a reason refuses the passage.
    public enum Effect: String, Sendable, Codable {
        case deny, warn
    }

    public var code: Code
    public var message: String
    public var effect: Effect

    public init(_ code: Code, _ message: String, effect: Effect = .deny) {
        self.code = code
        self.message = message
        self.effect = effect
    }

    /// A reason that does not refuse the passage.
    public static func warning(_ code: Code, _ message: String) -> AccessReason {
        AccessReason(code, message, effect: .warn)
    }

    /// The published form: `{"code","message","effect"}`.
    public var value: Value {
        ["code": .string(code.rawValue), "message": .string(message), "effect": .string(effect.rawValue)]
    }
}
