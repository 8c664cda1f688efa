import CordonCore
import Geometry

/// An operator in a process unit presses the SOS button on their tag — a gasket weeping, a
/// colleague feeling unwell — and stays where they are until help comes. The control room
/// sees it at once and acknowledges it about 40 s later (`alarms.ack` by "control room"):
/// `sos` raised, then cleared by the acknowledgement.
///
/// The moment is the button press. Sent to a service, the simulator asks it for the alarm's
/// id (`alarms.active`); in a replay file it writes the id the service derives.
final class SosPressed: Incident {
    let name = "sos"
    let leadTime = 2.0
    static let ackAfter = 40.0
    static let acknowledgedBy = "control room"
    private var pressed: (person: String, at: Instant)?
    private var ackScheduled = false

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        let options = w.available { _, p in w.placeOf(p).map { w.places[$0].layout.use == "process-unit" } ?? false }
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        let here = w.people[i].position
        w.people[i].busy = true
        w.people[i].plan = [
            .stay(until: moment, spot: here, radius: 1),
            .alert(.sos),
            .stay(until: moment.adding(seconds: Self.ackAfter + 45), spot: here, radius: 1),
            .release,
        ]
        // The alert is said at the moment's second, at the tag's own offset in it.
        pressed = (w.people[i].id, moment.adding(milliseconds: w.people[i].phase))
        let zone = w.placeOf(w.people[i]).map { w.places[$0].layout } 
        w.note(at: moment, kind: name, "\(w.people[i].label) presses SOS in \(zone.map { "\($0.name) [\($0.id)]" } ?? "a process unit"); the control room acknowledges in about \(Int(Self.ackAfter)) s")
        return true
    }

    func tick(in w: SimulationWorld) -> Bool {
        guard let pressed, !ackScheduled else { return false }
        guard w.now >= pressed.at else { return true }
        ackScheduled = true
        let ack = SimulatedMessage.Acknowledgement(
            kind: "sos", subject: pressed.person, by: Self.acknowledgedBy,
            derivedID: SimulationWorld.alarmID(kind: "sos", subject: "person:\(pressed.person)", at: pressed.at))
        w.schedule(SimulatedMessage(time: pressed.at.adding(seconds: Self.ackAfter), payload: .acknowledge(ack)))
        return false
    }
}
