import CordonCore

/// A scripted happening staged on top of everyday traffic: someone strays into a tank farm, a
/// crowd fills the control room, a stranger's tag shows up, a hazmat truck makes a delivery.
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
}

extension Incident {
    func tick(in world: SimulationWorld) -> Bool { false }
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

    /// What `make demo` shows: something every 10–30 seconds, the first within a minute.
    static var demo: [IncidentSchedule] {
        [
            IncidentSchedule(name: "red-zone stray", first: 15, every: 50...100) { RedZoneStray() },
            IncidentSchedule(name: "unknown tag", first: 35, every: 100...200) { UnknownTagVisit() },
            IncidentSchedule(name: "control-room crowd", first: 50, every: 200...360) { ControlRoomCrowd() },
            IncidentSchedule(name: "hazmat delivery", first: 70, every: 360...600) { HazmatDelivery() },
        ]
    }
}
