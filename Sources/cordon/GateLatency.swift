import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon gate-latency`: how long a gate controller waits for its answer.
///
/// Against a running `cordon serve`: registers a few hundred test people, streams positions
/// for them in the background at a steady rate, and sends gate passages one at a time,
/// measuring from the moment each is pushed on ingest to the moment its `access.<gate>`
/// decision arrives on the events socket (it is stored before it is published, so the figure
/// includes the commit). Prints the figures as JSON.
struct GateLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate-latency",
        abstract: "Measure gate decision latency (gate message pushed → access.<gate> received) against a running service.",
        discussion: """
            Registers people LAT-P0000… (tags LAT-T0000…) in the running service's registry; use a scratch
            data directory. Prints {"passages","median_ms","p90_ms","p99_ms","max_ms",…}.
            """)

    @Option(help: "Ingest address.") var ingest = "tcp://127.0.0.1:7001"
    @Option(help: "Events address.") var events = "tcp://127.0.0.1:7002"
    @Option(help: "Control address.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "Gate passages to measure.") var passages = 3000
    @Option(help: "Gate passages per second.") var rate = 50.0
    @Option(help: "Background positions per second.") var background = 1000.0
    @Option(help: "Test people (they pass in and out in turn).") var people = 500
    @OptionGroup var curve: CurveOptions

    func run() throws {
        let credentials = try curve.credentials()
        let ctx = try ZMQContext()
        defer { ctx.shutdown() }
        let client = try ControlClient(endpoint: control, curve: credentials, timeoutMilliseconds: 10_000, context: ctx)
        defer { client.close() }
        func request(_ r: Value) throws -> Value {
            guard let reply = try client.send(r) else { throw ValidationError("no reply from \(control): is cordon serve running?") }
            return try JSONText.parse(reply)
        }
        let site = try request(["op": "site.get"])["site"] ?? .null
        let features = site["features"]?.arrayValue ?? []
        guard let gate = features.first(where: {
            $0["properties"]?["kind"] == "gate" && ["staff", "general"].contains($0["properties"]?["class"]?.stringValue ?? "")
        })?["properties"]?["id"]?.stringValue else {
            throw ValidationError("the site has no staff or general gate")
        }
        let origin = site["cordon"]?["origin"]?.arrayValue?.compactMap(\.numberValue) ?? [0, 0]
        let ids = (0..<people).map { String(format: "LAT-P%04d", $0) }
        let records: [Value] = ids.enumerated().map { i, id in
            ["id": .string(id), "name": .string("latency \(i)"), "tag": .string(String(format: "LAT-T%04d", i))]
        }
        guard try request(["op": "registry.upsert", "people": .array(records)])["ok"] == true else {
            throw ValidationError("registry.upsert was refused")
        }

        let sub = try ctx.socket(.sub)
        defer { sub.close() }
        try sub.setReceiveTimeout(2000)
        try sub.subscribe("access.")
        try credentials?.secure(sub)
        try sub.connect(events)
        let push = try ctx.socket(.push)
        defer { push.close() }
        try push.setLinger(0)
        try credentials?.secure(push)
        try push.connect(ingest)
        Thread.sleep(forTimeInterval: 0.3)  // the slow joiner

        // Background positions on their own socket and thread.
        let stop = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let bgPush = try ctx.socket(.push)
        try bgPush.setLinger(0)
        try credentials?.secure(bgPush)
        try bgPush.connect(ingest)
        let bgRate = background, count = people
        let lon = origin.first ?? 0, lat = origin.count > 1 ? origin[1] : 0
        Thread {
            var sent = 0
            let start = WallClock.monotonic()
            while !stop.isSet {
                let due = Int((WallClock.monotonic() - start) * bgRate)
                while sent < due {
                    let i = sent % count
                    let t = WallClock.now().milliseconds
                    let msg = String(format: #"{"type":"position","tag":"LAT-T%04d","t":%lld,"lon":%.7f,"lat":%.7f}"#,
                                     i, t, lon + Double(i % 50) * 1e-5, lat + Double(i / 50) * 1e-5)
                    _ = try? bgPush.send(msg)
                    sent += 1
                }
                usleep(1000)
            }
            bgPush.close()
            done.signal()
        }.start()

        var inside = Set<Int>()
        var latencies: [Double] = []
        var lastT: Int64 = 0
        let interval = 1 / rate
        var next = WallClock.monotonic()
        for n in 0..<passages {
            let i = n % people
            let direction = inside.contains(i) ? "out" : "in"
            lastT = max(lastT + 1, WallClock.now().milliseconds)
            let msg = #"{"type":"gate","gate":"\#(gate)","t":\#(lastT),"direction":"\#(direction)","person":"\#(ids[i])"}"#
            let sentAt = WallClock.monotonic()
            _ = try push.send(msg)
            var got = false
            while let frames = try sub.receiveMessage(), frames.count == 2 {
                let body = try JSONText.parse(frames[1])
                if body["subject"]?["id"]?.stringValue == ids[i], body["t"] == .time(Instant(milliseconds: lastT)) {
                    latencies.append((WallClock.monotonic() - sentAt) * 1000)
                    if body["decision"] == "granted" { if direction == "in" { inside.insert(i) } else { inside.remove(i) } }
                    got = true
                    break
                }
            }
            if !got { FileHandle.standardError.write(Data("no decision for passage \(n)\n".utf8)) }
            next += interval
            let wait = next - WallClock.monotonic()
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
        }
        stop.set()
        done.wait()
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
        let out: Value = [
            "passages": .int(sorted.count), "gate": .string(gate), "rate_per_s": .number(rate),
            "background_positions_per_s": .number(background),
            "median_ms": .number(pct(0.5).rounded(toPlaces: 3)), "p90_ms": .number(pct(0.9).rounded(toPlaces: 3)),
            "p99_ms": .number(pct(0.99).rounded(toPlaces: 3)), "max_ms": .number((sorted.last ?? .nan).rounded(toPlaces: 3)),
            "min_ms": .number((sorted.first ?? .nan).rounded(toPlaces: 3)),
        ]
        print(JSONText.encode(out))
    }
}
