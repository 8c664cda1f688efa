import CordonCore
import CordonHTTP
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import ZeroMQ

/// A real `serve` with its HTTP side on ephemeral loopback ports, on the demo park, a real
/// store in a temporary directory, and a ZeroMQ client to feed it as the RTLS engine would.
final class ConsoleHarness: @unchecked Sendable {
    let service: Service
    let server: ConsoleServer
    let stop = StopFlag()
    let client: ZMQContext
    let push: Socket
    let port: Int
    private let engineDone = DispatchSemaphore(value: 0)
    private var httpTask: Task<Void, any Error>?

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A forwarding list with one platform, `province`, that never answers: port 9 (discard)
    /// on loopback, where nothing listens, so every attempt is refused.
    static func unreachablePlatform() throws -> String {
        let dir = TestDirectory.make("fwd")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "a-shared-secret-of-the-province-0123".write(toFile: dir + "/secret", atomically: true, encoding: .utf8)
        let list: Value = [["id": "province", "kind": "http", "url": "http://127.0.0.1:9/in", "secret_file": .string(dir + "/secret"), "types": ["alarm.*"]]]
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        return dir + "/f.json"
    }

    init(tokens: TokenFile? = nil, forwardingFile: String? = nil) async throws {
        let data = TestDirectory.make("http")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var config = ServiceConfig(sitePath: Self.root.appendingPathComponent("geofences/demo-park.geojson").path, dataDirectory: data)
        config.ingest = "tcp://127.0.0.1:*"
        config.events = "tcp://127.0.0.1:*"
        config.control = "tcp://127.0.0.1:*"
        config.tickMilliseconds = 50
        config.forwardingFile = forwardingFile
        let metrics = MetricsExporter()
        let bridge = try ConsoleServer.makeBridge(metrics: metrics)
        config.httpBridge = bridge
        var options = HTTPOptions(consoleDirectory: Self.root.appendingPathComponent("console").path)
        options.port = 0
        options.tokens = tokens
        server = try ConsoleServer(options: options, bridge: bridge, metrics: metrics)
        service = try Service(config: config)
        client = try ZMQContext()
        push = try client.socket(.push)
        try push.connect(service.boundIngest)
        let t = Thread { [service, stop, engineDone] in
            service.run(until: stop)
            engineDone.signal()
        }
        t.start()
        let bound = Mutex<Int?>(nil)
        httpTask = Task { [server] in try await server.run { p in bound.withLock { $0 = p } } }
        var waited = 0
        while bound.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(20))
            waited += 1
            if waited > 500 { throw HarnessFailure("the HTTP side did not bind within 10 s") }
        }
        port = bound.withLock { $0 } ?? 0
    }

    func shutdown() {
        httpTask?.cancel()
        stop.set()
        engineDone.wait()
        push.close()
        client.shutdown()
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// One HTTP request; the status and the body.
    func http(_ method: String = "GET", _ path: String, body: String? = nil, token: String? = nil) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: base + path) else { throw HarnessFailure("bad path \(path)") }
        var r = URLRequest(url: url)
        r.httpMethod = method
        r.timeoutInterval = 10
        if let body { r.httpBody = Data(body.utf8) }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func json(_ method: String = "GET", _ path: String, body: String? = nil, token: String? = nil) async throws -> (status: Int, body: Value) {
        let (s, d) = try await http(method, path, body: body, token: token)
        return (s, try JSONText.parse(Array(d)))
    }

    /// A control request over ZeroMQ (the REP socket), as `cordon ctl` sends it.
    func zmqControl(_ request: Value) throws -> Value {
        try ControlClient.ask(request, endpoint: service.boundControl, context: client)
    }

    /// Sends ingest messages (JSON objects) over ZeroMQ, stamped now unless they carry `t`.
    func send(_ messages: [Value]) throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let stamped: [Value] = messages.map { m in
            guard case .object(var o) = m else { return m }
            if o["t"] == nil { o["t"] = .number(Double(now)) }
            return .object(o)
        }
        _ = try push.send(JSONText.encodeBytes(.array(stamped)))
    }

    /// Waits until `condition` holds, polling every 50 ms, at most `seconds`.
    func eventually(_ seconds: Double = 5, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The demo's people: a welder with hot-work, a contractor without, an operator; one tanker.
    func loadRegistry() throws {
        let r = try zmqControl(try JSONText.parse("""
        {"op":"registry.upsert","people":[
         {"id":"P0001","name":"王伟","role":"welder","enterprise":"E01","tag":"T1001","qualifications":[{"name":"hot-work","expires":"2030-06-30"}]},
         {"id":"P0042","name":"赵强","role":"fitter","enterprise":"E01","tag":"T1042","contractor":true,"induction_until":"2030-03-31"},
         {"id":"P0101","name":"刘洋","role":"operator","enterprise":"E01","tag":"T2101"}],
         "vehicles":[{"plate":"鲁E6H021","kind":"hazmat","enterprise":"E01","tag":"GV021"}]}
        """))
        guard r["ok"]?.boolValue == true else { throw HarnessFailure("registry.upsert: \(r)") }
    }

    /// The centre of a zone's outer ring, in site metres, from the console's own site plan.
    func centre(of zone: String) async throws -> (x: Double, y: Double) {
        let plan = try await json("GET", "/api/console/site").body
        for f in plan["features"]?.arrayValue ?? [] where f["properties"]?["id"]?.stringValue == zone {
            let ring = f["geometry"]?["coordinates"]?.arrayValue?.first?.arrayValue ?? []
            let pts = ring.dropLast().compactMap { p -> (Double, Double)? in
                guard let x = p.arrayValue?.first?.numberValue, let y = p.arrayValue?.last?.numberValue else { return nil }
                return (x, y)
            }
            guard !pts.isEmpty else { break }
            return (pts.map(\.0).reduce(0, +) / Double(pts.count), pts.map(\.1).reduce(0, +) / Double(pts.count))
        }
        throw HarnessFailure("no zone \(zone) in the site plan")
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
