import CordonCore
import Geometry

/// Makes up the park's people and vehicles for a seed: names, roles, enterprises, tags,
/// qualifications (some valid, some lapsed), contractors with their induction dates, plates.
enum Roster {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let givenNames = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
        "刚", "桂英", "建华", "志强", "海燕", "文博", "子涵", "浩然", "宇轩", "晓东", "丹", "鹏", "辉", "玲", "斌", "宁", "晨",
        "健", "红", "波", "凯", "雪", "琳", "飞", "亮", "慧", "颖", "国庆", "建国", "春梅", "立新", "振华", "玉兰", "永刚",
    ]
    /// Roles in a plant and how common they are; the last three are contractors' trades.
    static let plantRoles: [(role: String, weight: Double)] = [
        ("operator", 28), ("engineer", 14), ("tank-operator", 8), ("maintenance", 10), ("clerk", 12), ("safety", 4),
        ("analyst", 4), ("welder", 8), ("scaffolder", 6), ("insulator", 6),
    ]
    static let contractorTrades: Set<String> = ["welder", "scaffolder", "insulator"]
    static let parkRoles: [(role: String, weight: Double)] = [("firefighter", 35), ("electrician", 20), ("clerk", 30), ("operator", 15)]
    /// Operators on duty in the central control room around the clock (its `min_people` is 2).
    static let controlRoomCrew = 4

    /// The people, numbered P0001…, with tags T1001….
    static func people(count: Int, in w: SimulationWorld) -> [SimulatedPerson] {
        let enterprises = w.layout.enterprises
        let staffGate = w.layout.gates.first { $0.gateClass == "staff" }?.id ?? w.layout.gates.first?.id ?? "G1"
        let generalGate = w.layout.gates.first { $0.gateClass == "general" }?.id ?? staffGate
        let crew = w.place("Z-E01-CCR") != nil && count >= 20 ? controlRoomCrew : 0
        let park = w.layout.parkZones.isEmpty ? 0 : max(2, count * 6 / 100)
        var out: [SimulatedPerson] = []
        for n in 0..<count {
            let id = "P" + SimulationWorld.padded(n + 1, 4)
            let tag = "T" + SimulationWorld.padded(1000 + n + 1, 4)
            let onDuty = n < crew
            let enterprise: String?
            let role: String
            if onDuty {
                enterprise = "E01"
                role = "operator"
            } else if n < crew + park {
                enterprise = nil
                role = w.rng.pick(parkRoles, weight: { $0.weight })!.role
            } else {
                enterprise = w.rng.pick(enterprises, weight: { Double($0.zones.count) })?.id
                role = w.rng.pick(plantRoles, weight: { $0.weight })!.role
            }
            let contractor = contractorTrades.contains(role)
            out.append(SimulatedPerson(
                id: id, name: w.rng.pick(surnames) + w.rng.pick(givenNames), role: role, enterprise: enterprise, tag: tag,
                card: "C" + SimulationWorld.padded(w.rng.int(10_000_000...99_999_999), 8), contractor: contractor,
                inductionUntil: contractor ? w.date(daysFromStart: w.rng.int(20...300)) : nil,
                qualifications: qualifications(role, in: w), registered: true,
                gate: contractor || enterprise == nil ? generalGate : staffGate,
                speed: w.rng.normal(mean: 1.3, sd: 0.12, clip: 2.5), phase: Int64(w.rng.int(0...999)), onDuty: onDuty,
                battery: w.rng.uniform(35...100), drainPerSecond: w.rng.uniform(2...4) / 3600,
                onSite: false, position: LocalPoint(x: 0, y: 0), node: .outside))
        }
        return out
    }

    /// What a role tends to be qualified for. Some hot-work tickets have lapsed: the person
    /// still has the record, and the rules must see that it is out of date.
    static func qualifications(_ role: String, in w: SimulationWorld) -> [(name: String, expires: String)] {
        var q: [(name: String, expires: String)] = []
        func valid() -> String { w.date(daysFromStart: w.rng.int(45...500)) }
        func lapsed() -> String { w.date(daysFromStart: -w.rng.int(5...200)) }
        switch role {
        case "welder":
            q.append(("hot-work", w.rng.chance(0.75) ? valid() : lapsed()))
            if w.rng.chance(0.5) { q.append(("working-at-height", valid())) }
        case "maintenance":
            if w.rng.chance(0.3) { q.append(("hot-work", w.rng.chance(0.8) ? valid() : lapsed())) }
            if w.rng.chance(0.4) { q.append(("confined-space", valid())) }
        case "tank-operator":
            if w.rng.chance(0.25) { q.append(("hot-work", valid())) }
            if w.rng.chance(0.5) { q.append(("confined-space", valid())) }
        case "scaffolder":
            q.append(("working-at-height", valid()))
        case "insulator":
            if w.rng.chance(0.6) { q.append(("working-at-height", valid())) }
        case "engineer":
            if w.rng.chance(0.2) { q.append(("confined-space", valid())) }
        case "electrician":
            q.append(("electrical", valid()))
        default:
            break
        }
        return q
    }

    /// Hazmat trucks (one per route's enterprise, in turn) and ordinary vans and cars.
    static func vehicles(people: Int, in w: SimulationWorld) -> [SimulatedVehicle] {
        var out: [SimulatedVehicle] = []
        var plates: Set<String> = []
        func plate() -> String {
            let letters = Array("ABCDFGHJKLMNPQRSTUVWXY")
            while true {
                let p = "鲁E" + String(w.rng.pick(letters)) + SimulationWorld.padded(w.rng.int(0...9999), 4)
                if plates.insert(p).inserted { return p }
            }
        }
        let destinations = w.layout.routes.map(\.to)
        let start = LocalPoint(x: 0, y: 0)
        // Enough for a delivery, a speeding truck and one waiting on the shoulder at once.
        for k in 0..<max(6, people / 50) where !destinations.isEmpty {
            out.append(SimulatedVehicle(
                plate: plate(), kind: "hazmat", enterprise: destinations[k % destinations.count], terminal: nil,
                plateColor: "yellow", fixInterval: 5, phase: Int64(w.rng.int(0...999)),
                cruise: w.rng.uniform(24...26) / 3.6, position: start))
        }
        for k in 0..<max(2, people / 75) {
            out.append(SimulatedVehicle(
                plate: plate(), kind: k % 3 == 2 ? "staff" : "general", enterprise: nil,
                terminal: "GV" + SimulationWorld.padded(k + 1, 4), plateColor: "blue", fixInterval: 10,
                phase: Int64(w.rng.int(0...999)), cruise: w.rng.uniform(25...28) / 3.6, position: start))
        }
        return out
    }
}
