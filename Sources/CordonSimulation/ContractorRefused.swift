import CordonCore
import Geometry

/// A contractor whose safety induction has lapsed — registered by the contractor office with
/// last year's induction date — presents their card at the staff gate: refused
/// (`access-denied`, reason `induction-expired`), and they go away to renew it. They never
/// come in, so no tag of theirs is heard.
///
/// The moment is the passage. The registry record is sent (`registry.upsert`) a few seconds
/// before; the contractor is no simulated person, only these two messages.
final class ContractorRefused: Incident {
    let name = "induction expired"
    let leadTime = 5.0
    static let trades = ["scaffolder", "insulator", "welder"]

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        guard let gate = w.layout.gates.first(where: { $0.gateClass == "staff" })?.id,
              let enterprise = w.rng.pick(w.layout.enterprises, weight: { _ in 1 })?.id else { return false }
        let n = w.next("refused-contractor")
        let id = "P9" + SimulationWorld.padded(n % 1000, 3)
        let name = w.rng.pick(Roster.surnames) + w.rng.pick(Roster.givenNames)
        let card = "C" + SimulationWorld.padded(w.rng.int(10_000_000...99_999_999), 8)
        let role = w.rng.pick(Self.trades)
        let lapsed = w.day(at: moment.adding(seconds: -Double(w.rng.int(3...40)) * 86_400))
        let record: Value = [
            "id": .string(id), "name": .string(name), "role": .string(role), "enterprise": .string(enterprise),
            "card": .string(card), "contractor": true, "induction_until": .string(lapsed),
        ]
        w.schedule(SimulatedMessage(time: moment.adding(seconds: -4), payload: .control(["op": "registry.upsert", "people": [record]])),
                   cancelOnMuster: true)
        let passage: Value = ["type": "gate", "gate": .string(gate), "t": .int(moment.milliseconds), "direction": "in",
                              "card": .string(card), "count": 1]
        w.schedule(SimulatedMessage(time: moment, payload: .ingest(passage)), cancelOnMuster: true)
        w.note(at: moment, kind: self.name, "\(id) \(name) (\(role), contractor, \(enterprise)) presents card \(card) at the staff gate \(gate): safety induction expired \(lapsed), refused")
        return true
    }
}
