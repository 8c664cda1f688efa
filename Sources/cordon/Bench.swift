import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import Logging
import ZeroMQ

/// `cordon bench`: the service end to end over real sockets on the benchmark workload of
/// `../shared/bench/genpark.py`. Prints its figures as JSON.
///
/// Throughput: a fresh `serve` (real store in a temporary directory) gets the prologue, then
/// every position as fast as one PUSH socket sends them, in frames of `--batch`; the clock
/// stops when `ping` counts them all accepted. Latency: another fresh `serve` gets positions
/// paced at `--rate` per second in frames of `--batch`, the sender sleeping between frames; each
/// violation received on SUB (by a thread of its own) is matched to the moment the position
/// that caused it was sent. Each figure is the median of `--runs` runs: the machine
/// is shared and its speed drifts.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark serve end to end over tcp loopback on the genpark workload (JSON figures).")

    @Option(help: "A genpark output directory (site.geojson, registry.json, prologue.jsonl, positions.jsonl).")
    var workload: String
    @Option(help: "Positions per ingest frame for the throughput runs.") var batch = 100
    @Option(help: "Runs per figure.") var runs = 3
    @Option(help: "Positions per second for the latency run.") var rate = 100_000
    @Option(help: "Seconds of paced traffic for the latency run.") var latencySeconds = 5.0
    @Flag(help: "Run serve without its store, to measure what the store costs (nothing is durable).") var withoutStore = false
    @Flag(help: "Run serve with its store but without the live-state journal, to measure what the journal costs.") var withoutJournal = false

    func run() throws {
        LoggingSetup.bootstrap(level: "error")
        let dir = URL(fileURLWithPath: workload)
        let positions = try Self.lines(dir.appendingPathComponent("positions.jsonl"))
        let prologue = try Self.lines(dir.appendingPathComponent("prologue.jsonl"))
        let registry = try Data(contentsOf: dir.appendingPathComponent("registry.json"))
        let site = dir.appendingPathComponent("site.geojson").path

        // The workload's times are moved to now: in serve the clock is the wall clock, and
        // three-day-old positions would (rightly) raise tag-offline for everyone.
        let firstT = Self.time(of: positions[0]) ?? 0
        var throughput: [Double] = []
        for _ in 0..<runs {
            let h = try Harness(site: site, registry: registry, prologue: prologue, workloadStart: firstT, withoutStore: withoutStore, withoutJournal: withoutJournal)
            let delta = WallClock.now().milliseconds + 1000 - firstT
            let frames = stride(from: 0, to: positions.count, by: batch).map { i -> [UInt8] in
                let chunk = positions[i..<min(i + batch, positions.count)]
                var f: [UInt8] = [91]
                for (k, l) in chunk.enumerated() {
                    if k > 0 { f.append(44) }
                    f.append(contentsOf: Self.restamp(l, t: (Self.time(of: l) ?? firstT) + delta))
                }
                f.append(93)
                return f
            }
            let t0 = WallClock.monotonic()
            for f in frames { _ = try h.push.send(f) }
            try h.waitAccepted(positions: positions.count, prologueGates: h.gates)
            // Any request but ping answers once every event before it is stored and published,
            // so "last processed" includes the store's commit, not only the engine's turn.
            _ = try h.request(["op": "alarms.active"])
            throughput.append(Double(positions.count) / (WallClock.monotonic() - t0))
            h.stop()
        }

        // Latency at a paced rate: positions are re-stamped with the current time, so the service's
        // wall clock and the events agree; a violation's subject tag and time find its send moment.
        // The sender sleeps between frames and a thread of its own waits on SUB, as an RTLS engine
        // and a control room would: a sender spinning on the second core would take it from the
        // service it measures.
        let h = try Harness(site: site, registry: registry, prologue: prologue, workloadStart: firstT, withoutStore: withoutStore, withoutJournal: withoutJournal)
        try h.sub.subscribe("violation.")
        usleep(300_000)
        // Every subject's first position (a tag seen for the first time, people already standing
        // in zones) is sent first, unpaced and unmeasured: the latency asked for is the
        // steady state's, not the start-up burst's.
        let prime = min(positions.count, 25_000)
        let count = min(positions.count, prime + Int(Double(rate) * latencySeconds))
        let epochStart = WallClock.now().milliseconds + 500
        // Everything is prepared before the clock starts, so the sender keeps its pace.
        let prepared: [(line: [UInt8], key: String?)] = positions.prefix(count).map { line in
            let t = epochStart + ((Self.time(of: line) ?? firstT) - firstT)
            return (Self.restamp(line, t: t), Self.tag(of: line).map { "\($0)@\(t)" })
        }
        for chunk in stride(from: 0, to: prime, by: 100) {
            var f: [UInt8] = [91]
            for k in chunk..<min(chunk + 100, prime) {
                if k > chunk { f.append(44) }
                f.append(contentsOf: prepared[k].line)
            }
            f.append(93)
            _ = try h.push.send(f)
        }
        try h.waitAccepted(positions: prime, prologueGates: h.gates)
        // Send times go into an array by position: hashing a key per position on the sender's
        // thread would take CPU from the service under test.
        var keyIndex: [String: Int] = [:]
        keyIndex.reserveCapacity(count - prime)
        for k in prime..<count { if let key = prepared[k].key, keyIndex[key] == nil { keyIndex[key] = k } }
        var sentAt = [Double](repeating: .nan, count: count)
        usleep(200_000)
        let receiver = try ViolationReceiver(h.sub)
        let start = WallClock.monotonic() - Double(prime) / Double(rate)
        // Frames of `--batch` positions, each sent when its first position is due: the sender
        // sleeps in between (1 ms at 100 per frame and 100,000/s) and catches up if it woke late.
        var i = prime
        while i < count {
            let due = start + Double(i) / Double(rate)
            let nowM = WallClock.monotonic()
            if nowM < due {
                usleep(UInt32(max(1, (due - nowM) * 1e6)))
                continue
            }
            var frame: [UInt8] = [91]
            let end = min(count, i + batch)
            for k in i..<end {
                if k > i { frame.append(44) }
                frame.append(contentsOf: prepared[k].line)
                sentAt[k] = nowM
            }
            frame.append(93)
            i = end
            _ = try h.push.send(frame)
        }
        usleep(1_000_000)
        var latencies = receiver.stop().compactMap { got in keyIndex[got.key].flatMap { sentAt[$0].isNaN ? nil : got.at - sentAt[$0] } }
        h.stop()
        latencies.sort()
        func pct(_ p: Double) -> Value {
            latencies.isEmpty ? .null : .number((latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))] * 1000).rounded(toPlaces: 3))
        }
        let report: Value = [
            "workload": .string(workload), "positions": .int(positions.count), "batch": .int(batch),
            "throughput_positions_per_s": ["runs": .array(throughput.map { .number($0.rounded()) }),
                                           "median": .number(Self.median(throughput).rounded())],
            "latency_ms": ["rate_per_s": .int(rate), "violations": .int(latencies.count), "p50": pct(0.5), "p99": pct(0.99), "p99_9": pct(0.999),
                           "max": latencies.last.map { .number(($0 * 1000).rounded(toPlaces: 3)) } ?? .null],
        ]
        print(PrettyJSON.format(report))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }

    static func lines(_ url: URL) throws -> [[UInt8]] {
        try Data(contentsOf: url).split(separator: 10).map(Array.init).filter { !$0.isEmpty }
    }

    /// `"t":123…,` of a genpark line (integer milliseconds).
    static func time(of line: [UInt8]) -> Int64? {
        guard let r = range(of: Array("\"t\":".utf8), in: line) else { return nil }
        var v: Int64 = 0
        var i = r.upperBound
        while i < line.count, line[i] >= 48, line[i] <= 57 { v = v * 10 + Int64(line[i] - 48); i += 1 }
        return v
    }

    static func tag(of line: [UInt8]) -> String? {
        guard let r = range(of: Array("\"tag\":\"".utf8), in: line), let end = line[r.upperBound...].firstIndex(of: 34) else { return nil }
        return String(decoding: line[r.upperBound..<end], as: UTF8.self)
    }

    static func restamp(_ line: [UInt8], t: Int64) -> [UInt8] {
        guard let r = range(of: Array("\"t\":".utf8), in: line) else { return line }
        var i = r.upperBound
        while i < line.count, line[i] >= 48, line[i] <= 57 { i += 1 }
        return Array(line[..<r.upperBound]) + Array(String(t).utf8) + Array(line[i...])
    }

    static func range(of needle: [UInt8], in hay: [UInt8]) -> Range<Int>? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle {
            return i..<(i + needle.count)
        }
        return nil
    }

    /// Reads violations off SUB on a thread of its own, noting when each raise arrived, keyed by
    /// its subject's tag and time (the position that caused it).
    final class ViolationReceiver: @unchecked Sendable {
        private let sub: Socket
        private let lock = NSLock()
        private var running = true
        private var arrivals: [(key: String, at: Double)] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ sub: Socket) throws {
            self.sub = sub
            try sub.setReceiveTimeout(50)
            // What arrived before the paced run (the prime's raises) is not measured.
            while (try? sub.receiveMessage(dontWait: true)) != nil {}
            Thread { [self] in
                while lock.withLock({ running }) {
                    guard let frames = try? sub.receiveMessage(), frames.count == 2 else { continue }
                    let got = WallClock.monotonic()
                    guard let body = try? JSONText.parse(frames[1]), body["state"] == "raised",
                          let tag = body["subject"]?["tag"]?.stringValue, let t = body["t"]?.stringValue.flatMap(RFC3339.parse)
                    else { continue }
                    lock.withLock { arrivals.append(("\(tag)@\(t.milliseconds)", got)) }
                }
                done.signal()
            }.start()
        }

        /// Stops the thread; what arrived.
        func stop() -> [(key: String, at: Double)] {
            lock.withLock { running = false }
            done.wait()
            return lock.withLock { arrivals }
        }
    }

    /// A fresh `serve` with the registry and the prologue loaded.
    final class Harness: @unchecked Sendable {
        let service: Service
        let stopFlag = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let client: ZMQContext
        let push: Socket
        let sub: Socket
        let control: String
        /// The service's data directory, removed at the stop.
        let data: String
        var gates = 0

        /// The prologue is moved to now too: gate entries a few seconds ago, booking windows
        /// shifted by as much as the positions will be.
        init(site: String, registry: Data, prologue: [[UInt8]], workloadStart: Int64, withoutStore: Bool = false, withoutJournal: Bool = false) throws {
            data = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-bench-\(UUID().uuidString)").path
            var config = ServiceConfig(sitePath: site, dataDirectory: data)
            config.ingest = "tcp://127.0.0.1:*"
            config.events = "tcp://127.0.0.1:*"
            config.control = "tcp://127.0.0.1:*"
            config.maxFutureSkewS = 1e12
            config.withoutStore = withoutStore
            config.withoutJournal = withoutJournal
            service = try Service(config: config)
            control = service.boundControl
            client = try ZMQContext()
            push = try client.socket(.push)
            try push.setSendHighWaterMark(1_000_000)
            try push.connect(service.boundIngest)
            sub = try client.socket(.sub)
            try sub.setReceiveHighWaterMark(1_000_000)
            try sub.connect(service.boundEvents)
            let t = Thread { [service, stopFlag, done] in
                service.run(until: stopFlag)
                done.signal()
            }
            t.start()
            var reg = try JSONText.parse(registry)
            if case .object(var o) = reg { o["op"] = "registry.upsert"; reg = .object(o) }
            _ = try request(reg)
            let now = WallClock.now().milliseconds
            let delta = now - workloadStart
            for line in prologue {
                let v = try JSONText.parse(line)
                if v["type"] == "control", case .object(var r)? = v["request"] {
                    if case .object(var w)? = r["window"] {
                        for k in ["from", "until"] { if let n = w[k]?.numberValue { w[k] = .number(n + Double(delta)) } }
                        r["window"] = .object(w)
                    }
                    _ = try request(.object(r))
                } else {
                    _ = try push.send(Bench.restamp(line, t: now - 5000))
                    gates += 1
                }
            }
            try waitAccepted(positions: 0, prologueGates: gates)
            // Accepted is not stored: the committer may still be writing the prologue's 20,000
            // passages, presence rows and access events when the positions start, and that
            // work would be counted against them. Any request but `ping` is answered after what
            // was published is committed (docs/protocol.md, "Control requests"), so one read lets the
            // store catch up before the clock starts.
            _ = try request(["op": "headcount"])
        }

        func request(_ r: Value) throws -> Value {
            try ControlClient.ask(r, endpoint: control, context: client, timeoutMilliseconds: 60_000)
        }

        func waitAccepted(positions: Int, prologueGates: Int) throws {
            while true {
                let c = try request(["op": "ping"])["counters"]
                let pos = c?["accepted"]?["position"]?.intValue ?? 0
                let g = c?["accepted"]?["gate"]?.intValue ?? 0
                let rejected = c?["rejected"]?.objectValue?.values.compactMap(\.intValue).reduce(0, +) ?? 0
                let late = c?["late"]?.intValue ?? 0
                if pos + rejected + late >= positions && g >= prologueGates { return }
                usleep(2000)
            }
        }

        func stop() {
            stopFlag.set()
            done.wait()
            push.close()
            sub.close()
            client.shutdown()
            try? FileManager.default.removeItem(atPath: data)
        }
    }
}
