import CordonCore
import Geometry

/// Someone badges in at the staff gate and a second person slips through behind them on the
/// same credential: the gate's sensor counts 2. The holder is let in (the rules grant their
/// own passage) and `tailgating` is raised against them; the follower carries no tag.
///
/// The moment is the passage: someone off site, who uses the staff gate, arrives then.
final class Tailgater: Incident {
    let name = "tailgating"
    let leadTime = 1.0
    private var person: Int?

    func stage(in w: SimulationWorld, moment: Instant) -> Bool {
        guard let staff = w.layout.gates.first(where: { $0.gateClass == "staff" })?.id else { return false }
        let options = w.people.indices.filter { i in
            let p = w.people[i]
            guard p.registered, !p.busy, !p.onSite, p.node == .outside, p.gate == staff, p.entryCount == 1,
                  case .away? = p.plan.first, p.plan.count == 1 else { return false }
            return true
        }
        guard !options.isEmpty else { return false }
        let i = w.rng.pick(options)
        person = i
        w.people[i].plan = [.away(until: moment)]
        w.people[i].entryCount = 2
        w.note(at: moment, kind: name, "\(w.people[i].label) badges in at the staff gate \(staff) and someone without a badge follows them through: the gate counts 2")
        return true
    }

    func musterBegins(in w: SimulationWorld) -> Bool {
        if let i = person { w.people[i].entryCount = 1 }
        return false
    }
}
