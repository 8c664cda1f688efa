import CordonCore
import Geometry

/// Someone with a positioning tag: who they are (their registry record) and what they are
/// doing right now.
struct SimulatedPerson: Sendable {
    /// Where in the walking network someone is, for planning the next walk.
    enum Node: Sendable, Equatable {
        /// At (or heading for) a zone of ``SimulationWorld/places``.
        case place(Int)
        /// At the entrance of their enterprise (or, for the park's people, inside their gate).
        case hub
        /// Off site.
        case outside
    }

    // Who: the registry record.
    let id: String
    let name: String
    let role: String
    /// nil for the park's own staff.
    let enterprise: String?
    let tag: String
    let card: String
    let contractor: Bool
    let inductionUntil: String?
    /// (name, expiry date `YYYY-MM-DD`).
    let qualifications: [(name: String, expires: String)]
    /// False for a tag the registry does not know (a visitor's spare).
    let registered: Bool

    // How they move and report.
    /// The gate they come and go by.
    let gate: String
    /// Walking speed, metres per second.
    let speed: Double
    /// Milliseconds after each whole second at which their tag reports.
    let phase: Int64
    /// A control-room operator on duty: stays in the control room.
    let onDuty: Bool
    var battery: Double
    let drainPerSecond: Double

    // What they are doing.
    var onSite: Bool
    var position: LocalPoint
    var level = 0
    var moving = false
    var node: Node
    var plan: [Activity] = []
    /// Taken by an incident: everyday life leaves them alone until `.release`.
    var busy = false
    /// The zone they are counted towards (walking to or staying in), for keeping zones under their limits.
    var destination: Int?
    /// Where a shuffle inside a stay is heading, and until when they stand still.
    var wanderTarget: LocalPoint?
    var stillUntil: Instant?
    var gone = false
    /// On site by the gate record: passed a gate in, and not out since.
    var inside = false
    /// The tag says nothing until then (a tag gone silent).
    var mutedUntil: Instant?
    /// People the gate counts through on their next entry (2: someone follows them in).
    var entryCount = 1
    /// The corners walked since the last safe anchor, in order, and a safe walk from that
    /// anchor to their hub: together, a way back that crosses nothing new (for a muster).
    var trail: [LocalPoint] = []
    var anchorRoute: [LocalPoint] = []
    /// During a muster: the walk from the muster point back to their hub, once it ends.
    var musterReturn: [LocalPoint]?

    /// True when the registry record grants `qualification` on the given day (`YYYY-MM-DD`).
    func holds(_ qualification: String, on day: String) -> Bool {
        qualifications.contains { $0.name == qualification && $0.expires >= day }
    }

    /// The registry record (docs/protocol.md, "Control requests").
    var record: Value {
        .compact([
            "id": .string(id), "name": .string(name), "role": .string(role), "enterprise": .optional(enterprise),
            "tag": .string(tag), "card": .string(card), "contractor": .bool(contractor),
            "induction_until": .optional(inductionUntil),
            "qualifications": qualifications.isEmpty ? .null : .array(qualifications.map {
                ["name": .string($0.name), "expires": .string($0.expires)]
            }),
        ])
    }

    /// "P0042 王伟 (welder, contractor, E01)": for the simulator's log.
    var label: String {
        var parts = [role]
        if contractor { parts.append("contractor") }
        if let enterprise { parts.append(enterprise) }
        return "\(id) \(name) (\(parts.joined(separator: ", ")))"
    }
}
