import CordonCore

/// A scripted happening staged on top of everyday traffic: someone strays into a tank farm, a
/// crowd fills the control room, a stranger's tag shows up, a hazmat truck makes a delivery, a
/// worker collapses… Each shows one kind of alarm (or, for a delivery, gate decisions; for a
/// cancelled fall, nothing), and nothing else.
///
/// The schedule names the *moment* people should see (the alarm); the incident is staged
/// `leadTime` seconds before it, so that it can pick someone and have them set off in time to
/// arrive at that moment. Most incidents just hand their subjects a plan of ``Activity`` steps
/// ending in `.release` and are done; one that must react as time goes by keeps `tick`ing.
///
/// To add one: a class conforming to this protocol, and an ``IncidentSchedule`` for it in
/// ``IncidentSchedule/demo``.
protocol Incident: AnyObject {
    /// Short and lower case, for the log and the summary: `red-zone stray`.
    var name: String { get }
    /// Seconds before its moment at which it must be staged.
    var leadTime: Double { get }
    /// Picks its subjects and plans what they do, so that the visible part happens at `moment`.
    /// Returns false when it cannot be staged now (no one suitable); the schedule tries again a
    /// little later.
    func stage(in world: SimulationWorld, moment: Instant) -> Bool
    /// Called every simulated second after staging; returns false once it has nothing left to do.
    func tick(in world: SimulationWorld) -> Bool
    /// A muster began while it was under way: undo what would outlast it (a tag's battery, a
    /// count at the gate) and return whether to keep ticking. People are taken off it anyway
    /// (they walk to the muster points), so incidents about people stop; trucks carry on.
    func musterBegins(in world: SimulationWorld) -> Bool
}

extension Incident {
    func tick(in world: SimulationWorld) -> Bool { false }
    func musterBegins(in world: SimulationWorld) -> Bool { false }
}

/// When an incident recurs: its first moment after the start, then a random gap each time.
struct IncidentSchedule {
    var name: String
    /// Seconds after the start of the traffic for the first moment.
    var first: Double
    /// Seconds between one moment and the next.
    var every: ClosedRange<Double>
    /// Makes a fresh incident for each occurrence.
    var make: () -> any Incident

    /// What `make demo` shows: in the first ten minutes something every 20–40 s, each kind of
    /// alarm at least once, then round again at random intervals. The moment is when the alarm
    /// (or the gate decision) comes; the clearing follows a minute or a few later.
    static var demo: [IncidentSchedule] {
        [
            IncidentSchedule(name: "red-zone stray", first: 15, every: 150...260) { RedZoneStray() },
            IncidentSchedule(name: "unknown tag", first: 40, every: 300...480) { UnknownTagVisit() },
            IncidentSchedule(name: "induction expired", first: 60, every: 360...540) { ContractorRefused() },
            IncidentSchedule(name: "sos", first: 85, every: 360...540) { SosPressed() },
            IncidentSchedule(name: "hazmat delivery", first: 105, every: 480...720) { HazmatDelivery() },
            IncidentSchedule(name: "tailgating", first: 130, every: 360...540) { Tailgater() },
            IncidentSchedule(name: "control-room crowd", first: 155, every: 420...660) { ControlRoomCrowd() },
            IncidentSchedule(name: "man down", first: 185, every: 420...600) { Collapse() },
            IncidentSchedule(name: "low battery", first: 215, every: 480...720) { LowBattery() },
            IncidentSchedule(name: "speeding truck", first: 240, every: 540...780) { SpeedingTruck() },
            IncidentSchedule(name: "hot-work guardian", first: 275, every: 660...900) { HotWorkGuardian() },
            IncidentSchedule(name: "fall cancelled", first: 305, every: 360...540) { FallCancelled() },
            IncidentSchedule(name: "silent tag", first: 335, every: 420...600) { SilentTag() },
            IncidentSchedule(name: "crowd at a pump", first: 370, every: 540...780) { PumpCrowd() },
            IncidentSchedule(name: "shoulder stop", first: 420, every: 720...960) { ShoulderStop() },
        ]
    }
}
