import CordonCore
import CordonService
import Foundation
import Testing
import ZeroMQ

/// What every harness, `cordon bench` and the command line use to ask a running service.
@Suite("A control client asks a real service, and says so plainly when no answer comes")
struct ControlClientTests {
    @Test("one request on a fresh socket gets the service's reply; the client that keeps its socket gets the same")
    func answered() throws {
        let h = try ServiceHarness()
        defer { h.shutdown() }
        let once = try ControlClient.ask(["op": "ping"], endpoint: h.service.boundControl, context: h.client)
        #expect(once["ok"] == true && once["site"] == "scenario-park")
        let kept = try ControlClient(endpoint: h.service.boundControl, context: h.client)
        #expect(kept.request(["op": "ping"])?["site"] == "scenario-park")
    }

    @Test("nobody at the address: NoReply after the timeout, naming the op, the address and what to check")
    func noReply() throws {
        let context = try ZMQContext()
        defer { context.shutdown() }
        // A port nothing listens on: REQ queues the request and waits.
        let endpoint = "tcp://127.0.0.1:1"
        do {
            _ = try ControlClient.ask(["op": "headcount"], endpoint: endpoint, context: context, timeoutMilliseconds: 200)
            Issue.record("a reply from nowhere")
        } catch let e as ControlClient.NoReply {
            #expect(e.op == "headcount" && e.endpoint == endpoint)
            #expect(e.description.contains("is the service running"))
        }
    }
}
