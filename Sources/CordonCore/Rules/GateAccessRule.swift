/// Access at a gate (门禁/卡口): who may pass which gate, and when.
///
/// On the way in:
/// - the credential must name someone: a registered person (by id or card) or a vehicle by a
///   readable plate; a plate the registry does not know is a visitor and needs a booking;
/// - no one blacklisted enters;
/// - a contractor needs a safety induction on record, and no one enters on an induction that
///   has expired; a gate may require qualifications (`requires` on the gate) of every person;
/// - gate class: no vehicle at a `staff` gate; hazmat trucks only at `hazmat` gates, and only
///   hazmat trucks there; an `emergency` gate refuses ordinary passages in both directions
///   (it opens while an emergency is declared);
/// - a hazmat truck, and any vehicle the registry does not know, needs a booking for this
///   gate whose window holds the passage time and whose one trip has not been made.
///
/// On the way out only the gate class applies (and anti-passback, a separate rule): a
/// blacklisted person or an expired induction never keeps anyone in.
enum GateAccessRule {
    /// What the rule found, and the booking an entry would use.
    struct Findings {
        var reasons: [AccessReason] = []
        var booking: Booking?
        /// True when the vehicle is a hazmat visit (registry kind, or a booking with cargo).
        var hazmat = false
    }

    static func evaluate(
        _ p: GatePassage, gate: Gate, subject s: GateSubject, inside: PresenceEntry?, bookings: BookingBook,
        site: Site, emergencyOpen: Bool
    ) -> Findings {
        var f = Findings()
        let entering = p.direction == .in
        if let problem = s.problem { f.reasons.append(problem) }

        // Vehicles: what kind of visit, and its booking.
        if let plate = s.plate {
            let live = bookings.bookings(plate: plate).filter { $0.status != .cancelled }
            if let v = s.vehicle {
                f.hazmat = v.kind == .hazmat
            } else if let entry = inside, let b = entry.booking.flatMap({ bookings[$0] }) {
                f.hazmat = b.cargo != nil
            } else {
                f.hazmat = live.contains { $0.cargo != nil }
            }
            if entering {
                let needsBooking = s.vehicle == nil || f.hazmat
                switch bookings.verdict(plate: plate, gate: gate.id, at: p.time) {
                case .valid(let b):
                    f.booking = b
                    if s.vehicle == nil { f.hazmat = b.cargo != nil }
                case .refused(let r) where needsBooking:
                    f.reasons.append(r)
                case .none where needsBooking:
                    f.reasons.append(s.vehicle == nil
                        ? AccessReason(.unknownPlate, "plate \(plate) is not in the registry and has no booking")
                        : AccessReason(.bookingRequired, "a hazmat truck enters only with a booking"))
                default:
                    break
                }
            } else if s.vehicle == nil, inside == nil {
                f.reasons.append(AccessReason(.unknownPlate, "plate \(plate) is not in the registry and not on site"))
            }
        }

        if entering {
            if s.person?.blacklisted == true || s.vehicle?.blacklisted == true {
                f.reasons.append(AccessReason(.blacklisted, "\(s.isVehicle ? "the vehicle" : "the person") is blacklisted"))
            }
            if let person = s.person { f.reasons += personChecks(person, gate: gate, at: p.time, site: site) }
        }

        // Gate class, both ways.
        if gate.gateClass == .emergency {
            if !emergencyOpen {
                f.reasons.append(AccessReason(.emergencyGate, "gate \(gate.id) is an emergency gate, closed to ordinary passage"))
            }
        } else if s.isVehicle && s.problem == nil {
            switch gate.gateClass {
            case .staff:
                f.reasons.append(AccessReason(.wrongGateClass, "gate \(gate.id) is a staff gate: no vehicles"))
            case .general where f.hazmat:
                f.reasons.append(AccessReason(.wrongGateClass,
                    "gate \(gate.id) is a general gate; hazmat trucks pass at a hazmat gate (\(BookingRecords.gates(of: .hazmat, in: site)))"))
            case .hazmat where !f.hazmat && (s.vehicle != nil || f.booking != nil):
                f.reasons.append(AccessReason(.wrongGateClass,
                    "gate \(gate.id) is a hazmat gate, for hazmat trucks only (general gates: \(BookingRecords.gates(of: .general, in: site)))"))
            default:
                break
            }
        }
        return f
    }

    /// Induction and the gate's required qualifications, on the way in.
    static func personChecks(_ person: Person, gate: Gate, at t: Instant, site: Site) -> [AccessReason] {
        var out: [AccessReason] = []
        let offset = site.utcOffset(at: t)
        if let induction = person.inductionUntil {
            if !induction.isValid(at: t, utcOffsetSeconds: offset) {
                out.append(AccessReason(.inductionExpired, "safety induction expired (valid until \(induction.text))"))
            }
        } else if person.contractor {
            out.append(AccessReason(.inductionMissing, "a contractor needs a safety induction on record"))
        }
        for q in gate.requires where !person.holds(q, at: t, utcOffsetSeconds: offset) {
            if let held = person.qualifications.first(where: { $0.name == q }) {
                out.append(AccessReason(.qualificationExpired, "qualification \(q) expired (valid until \(held.expires?.text ?? "?"))"))
            } else {
                out.append(AccessReason(.qualificationMissing, "gate \(gate.id) requires qualification \(q)"))
            }
        }
        return out
    }
}
