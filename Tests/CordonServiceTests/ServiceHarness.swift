import CordonCore
import CordonService
import CordonTestSupport
import CordonWire
import Foundation
import ZeroMQ

/// A real `serve` on ephemeral loopback ports with a real SQLite store in a temporary
/// directory, running on its own thread, and the client sockets a test talks to it with.
final class ServiceHarness: @unchecked Sendable {
    let dataDirectory: String
    let sitePath: String
    let service: Service
    let stop = StopFlag()
    let client: ZMQContext
    let push: Socket
    let sub: Socket
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    static var fixturesRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures")
    }

    static func temporaryDirectory() -> String {
        let dir = TestDirectory.make("test")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    init(dataDirectory: String? = nil, sitePath: String? = nil, configure: (inout ServiceConfig) -> Void = { _ in }) throws {
        self.dataDirectory = dataDirectory ?? Self.temporaryDirectory()
        self.sitePath = sitePath ?? Self.fixturesRoot.appendingPathComponent("scenario-park.geojson").path
        var config = ServiceConfig(sitePath: self.sitePath, dataDirectory: self.dataDirectory)
        config.ingest = "tcp://127.0.0.1:*"
        config.events = "tcp://127.0.0.1:*"
        config.control = "tcp://127.0.0.1:*"
        config.tickMilliseconds = 50
        configure(&config)
        service = try Service(config: config)
        client = try ZMQContext()
        push = try client.socket(.push)
        try push.connect(service.boundIngest)
        sub = try client.socket(.sub)
        try sub.setReceiveTimeout(3000)
        try sub.subscribe("")
        try sub.connect(service.boundEvents)
        let t = Thread { [service, stop, done] in
            service.run(until: stop)
            done.signal()
        }
        thread = t
        t.start()
        // The slow joiner: wait until the subscription has reached the publisher.
        _ = try request(["op": "ping"])
        usleep(200_000)
    }

    /// Sends one control request on a fresh REQ socket and returns the parsed reply.
    func request(_ r: Value, timeoutMs: Int = 3000) throws -> Value {
        try ControlClient.ask(r, endpoint: service.boundControl, context: client, timeoutMilliseconds: timeoutMs)
    }

    /// Sends raw bytes as one ingest frame.
    func send(_ text: String) throws {
        _ = try push.send(text)
    }

    /// The next published event (topic, body), or nil after the timeout.
    func nextEvent() throws -> (topic: String, body: Value)? {
        guard let frames = try sub.receiveMessage(), frames.count == 2 else { return nil }
        return (String(decoding: frames[0], as: UTF8.self), try JSONText.parse(frames[1]))
    }

    /// Polls `ping` until `condition` holds on its counters (ingest is asynchronous).
    func waitForCounters(timeoutS: Double = 3, _ condition: (Value) -> Bool) throws -> Value {
        for _ in 0..<max(1, Int(timeoutS / 0.03)) {
            let ping = try request(["op": "ping"])
            if let c = ping["counters"], condition(c) { return c }
            usleep(30_000)
        }
        throw HarnessError.timeout
    }

    private var isShutDown = false

    /// Stops the service (flushing its store) and closes the clients; safe to call twice.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        stop.set()
        done.wait()
        push.close()
        sub.close()
        client.shutdown()
    }

    enum HarnessError: Error { case timeout }
}

let registry: Value = [
    "op": "registry.upsert",
    "people": [
        ["id": "P0042", "name": "赵强", "role": "fitter", "enterprise": "E03", "tag": "T1042", "contractor": true,
         "induction_until": "2027-03-31"],
        ["id": "P0001", "name": "王伟", "role": "welder", "tag": "T1001", "qualifications": [["name": "hot-work", "expires": "2027-06-30"]]],
    ],
]

/// A value shared between a test and the threads it starts.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&stored)
    }
}
