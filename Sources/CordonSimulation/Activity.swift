import CordonCore
import Geometry

/// One step of what a simulated person or vehicle is going to do. A plan is a list of these,
/// done in order; everyday routines and scripted incidents both speak this language, so an
/// incident is mostly a plan handed to someone.
enum Activity: Sendable {
    /// Walk (people) or drive (vehicles) along a path.
    case move(MovePath)
    /// Stay near `spot` until `until`: people shuffle about within `radius` metres and stand
    /// still now and then; vehicles stand.
    case stay(until: Instant, spot: LocalPoint, radius: Double)
    /// Pass a gate: the gate controller reports the passage, with the people its sensor
    /// counted on the credential. Coming `in` puts them just inside the gate; going `out`, the
    /// tag keeps reporting until the next `.away`.
    case pass(gate: String, direction: GatePassage.Direction, count: Int = 1)
    /// Off site, out of the positioning system's reach (no positions), until `until`.
    case away(until: Instant)
    /// The tag sends an alert (`sos`, `fall`, `tamper`, `cancel`).
    case alert(TagAlert.Kind)
    /// Lie or stand without moving until `until`: the accelerometer says `moving: false`.
    case motionless(until: Instant)
    /// Report positions on this floor from now on (stairs in a building).
    case level(Int)
    /// The tag sends nothing until `until` (its wearer carries on): a tag gone silent.
    case mute(until: Instant)
    /// Back to everyday life: an incident is done with this subject.
    case release
    /// Gone for good: a visitor's tag that stops reporting.
    case vanish
}
