import CordonCore
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

    @Test("the engine answers exactly the ops the table gives it")
    func engineOpsAreTheEngines() throws {
        let engine = try pipeline().engine
        for op in ControlOp.allCases {
            let result = engine.control(["op": .string(op.rawValue)], at: Instant(milliseconds: 1_795_334_400_000))
            var unknown = false
            if case .failure(let e) = result.reply { unknown = e.code == "unknown-op" }
            #expect(unknown == (op.answeredBy == .service), "\(op.rawValue) is answered by \(op.answeredBy)")
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
