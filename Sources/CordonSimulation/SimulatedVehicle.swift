import CordonCore
import Geometry

/// A vehicle with a GNSS terminal: its registry record and what it is doing right now.
struct SimulatedVehicle: Sendable {
    // Who: the registry record.
    let plate: String
    /// `hazmat`, `general` or `staff`.
    let kind: String
    let enterprise: String?
    /// The GNSS terminal's id, when it reports by terminal rather than by plate.
    let terminal: String?
    /// `yellow` for trucks, `blue` for cars: what the plate camera reads.
    let plateColor: String

    // How it moves and reports.
    /// Seconds between GNSS fixes.
    let fixInterval: Int
    /// Milliseconds after the whole second at which it reports.
    let phase: Int64
    /// Cruising speed on the park's roads, metres per second.
    let cruise: Double

    // What it is doing.
    var onSite = false
    var position: LocalPoint
    var heading = 90.0
    /// Metres per second, now.
    var speed = 0.0
    var plan: [Activity] = []
    /// Taken by an incident (a hazmat delivery): the everyday routine leaves it alone.
    var busy = false
    /// Seconds since its last fix.
    var sinceFix = 0
    /// Where the everyday routine is in its round (see ``VehicleRoutine``).
    var errand = 0
    /// A driver in a hurry: this speed (metres per second) instead of the cruise, until then.
    var boost: (speed: Double, until: Instant)?

    var isHazmat: Bool { kind == "hazmat" }

    /// The registry record (docs/protocol.md, "Control requests").
    var record: Value {
        .compact(["plate": .string(plate), "kind": .string(kind), "enterprise": .optional(enterprise),
                  "tag": .optional(terminal)])
    }
}
