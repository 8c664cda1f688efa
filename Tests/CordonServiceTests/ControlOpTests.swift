import CordonCore
import CordonTestSupport
import CordonService
import CordonWire
import Foundation
import Testing

/// ControlOp is the one table of control ops: these specifications hold it to what actually
/// answers, to the roles docs/protocol.md promises, and to the docs themselves.
@Suite("One table of control ops: every op in it is answered, documented and given a role")
struct ControlOpTests {
    private func pipeline() throws -> Pipeline {
        let sitePath = ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        let engine = Engine(site: try SiteFile.load(path: sitePath), registry: Registry())
        return Pipeline(engine: engine, store: nil, sink: NullSink(), sitePath: sitePath)
    }

    private final class NullSink: EventSink {
        func publish(topic: String, body: [UInt8]) -> Bool { true }
    }

    @Test("every op of the table is answered by someone: none comes back unknown-op, whoever answers it")
    func everyOpIsAnswered() throws {
        let p = try pipeline()
        let admin = Caller(name: "site owner", role: .admin)
        for op in ControlOp.allCases {
            let reply = try JSONText.parse(p.control(["op": .string(op.rawValue)], at: Instant(milliseconds: 1_795_334_400_000), caller: admin))
            #expect(reply["error"]?["code"] != "unknown-op", "\(op.rawValue): \(reply)")
        }
        let unknown = try JSONText.parse(p.control(["op": "alarms.purge"], at: Instant(milliseconds: 1_795_334_400_000), caller: admin))
        #expect(unknown["error"]?["code"] == "unknown-op", "an op not in the table: \(unknown)")
    }

    @Test("the table routes each op once: the service keeps its eight, every other reaches the engine as a command of its own, its members as sent")
    func routes() throws {
        var commands: Set<String> = []
        var service = 0
        for op in ControlOp.allCases {
            var members: [String: Value] = ["op": .string(op.rawValue), "zone": "Z-TANK-1", "person": "P0042", "id": "V-1", "by": "duty officer Li"]
            // What the two ops that start something cannot do without.
            if op == .permitCreate {
                members["kind"] = "hot-work"
                members["workers"] = ["P0042"]
                members["window"] = ["from": "2026-12-07T08:00:00+08:00", "until": "2026-12-07T16:00:00+08:00"]
            }
            if op == .musterStart { members["mode"] = "drill" }
            let request = Value.object(members)
            switch try op.route(request) {
            case .service:
                service += 1
            case .engine(let command):
                commands.insert(String("\(command)".prefix { $0 != "(" }))
                switch command {
                case .headcount(let zone): #expect(zone == "Z-TANK-1")
                case .whereis(let who): #expect(who == .named("P0042"))
                case .alarmsAck(let id, let by): #expect(id == "V-1" && by == "duty officer Li")
                case .registryRemove(let r): #expect(r == RegistryRemoval(people: ["P0042"], vehicles: [], references: []))
                case .permitCreate(let p):
                    #expect(p.id == "V-1" && p.kind == .hotWork && p.zone == "Z-TANK-1" && p.workers == ["P0042"] && p.issuedBy == "duty officer Li")
                case .musterStart(let m): #expect(m == MusterStart(mode: .drill, id: "V-1", by: "duty officer Li"))
                case .musterMark(let m): #expect(m == MusterMark(person: "P0042", by: "duty officer Li"))
                case .bookingCreate(let carried): #expect(carried == request)
                default: break
                }
            }
        }
        #expect(service == 8)
        #expect(commands.count == ControlOp.allCases.count - 8, "two ops give the same command: \(commands.sorted())")
    }

    @Test("wrong members are refused at the edge with the engine's own words, before the engine")
    func membersRefusedAtTheEdge() {
        let cases: [(Value, String)] = [
            (["op": "whereis"], "name the subject: 'person', 'plate' or 'tag'"),
            (["op": "alarms.ack", "by": "Li"], "'id' of the alarm to acknowledge is required"),
            (["op": "alarms.ack", "id": "V-1", "by": ""], "'by' (who acknowledges) is required"),
            (["op": "registry.remove"], "say what to remove"),
            (["op": "registry.remove", "people": ["P1", 2]], "'people' must be an array of strings"),
            (["op": "registry.upsert", "people": [["id": "P1", "name": "张三"], "P2"]], "a person record must be an object"),
            (["op": "permit.create", "zone": "Z-TANK-1", "workers": ["P1"]], "'kind' is required"),
            (["op": "permit.create", "kind": "hot-work", "zone": "Z-TANK-1", "workers": ["P1"], "guardians": ["P1"],
              "window": ["from": "2026-12-07T08:00:00Z", "until": "2026-12-07T16:00:00Z"]], "P1 cannot be both worker and guardian"),
            (["op": "permit.create", "kind": "hot-work", "zone": "Z-TANK-1", "workers": ["P1"],
              "window": ["from": "2026-12-07T16:00:00Z", "until": "2026-12-07T08:00:00Z"]], "the window ends"),
            (["op": "muster.start", "mode": "fire"], "'mode' 'fire' is neither drill nor emergency"),
            (["op": "muster.start", "mode": "drill", "scope": "Z-TANK-1"], "'scope' must be an array"),
            (["op": "muster.mark", "by": "Li"], "'person' (the id of the person safe) is required"),
            (["op": "report.positioning", "to": "yesterday"], "'to' must be an RFC 3339 time"),
        ]
        for (request, words) in cases {
            do throws(RequestError) {
                _ = try ControlOp.of(request).route(request)
                Issue.record("\(request) was taken")
            } catch {
                #expect(error.code == "invalid-request" && error.message.contains(words), "\(request): \(error.message)")
            }
        }
    }

    @Test("a request that is no object, names no op, or an op not in the table is refused at the edge, before the engine")
    func refusedAtTheEdge() {
        for (request, code): (Value, String) in [("headcount", "invalid-request"), (["zone": "Z"], "invalid-request"),
                                                 (["op": 7], "invalid-request"), (["op": "alarms.purge"], "unknown-op")] {
            do throws(RequestError) {
                _ = try ControlOp.of(request)
                Issue.record("\(request) was taken")
            } catch {
                #expect(error.code == code, "\(request)")
            }
        }
    }

    @Test("roles as docs/protocol.md gives them: ping for ingest, reading for viewers, changing for operators, site.reload for admins")
    func roles() {
        for op in ControlOp.allCases {
            switch op {
            case .ping: #expect(op.role == .ingest)
            case .siteReload: #expect(op.role == .admin)
            case .auditList: #expect(op.role == .operator && !op.changesState, "who did what: read by operators, audited itself not")
            default: #expect(op.role == (op.changesState ? .operator : .viewer), "\(op.rawValue)")
            }
        }
        #expect(ControlOp.role(for: "alarms.purge") == .viewer && !ControlOp.changes("alarms.purge"),
                "an unknown op needs no role to be told it is unknown, and changes nothing")
    }

    @Test("docs/protocol.md documents every op of the table")
    func documented() throws {
        let root = ServiceHarness.fixturesRoot.deletingLastPathComponent()
        let protocolText = try String(contentsOf: root.appendingPathComponent("docs/protocol.md"), encoding: .utf8)
        for op in ControlOp.allCases {
            #expect(protocolText.contains("`\(op.rawValue)`"), "\(op.rawValue) is not in docs/protocol.md")
        }
    }
}
