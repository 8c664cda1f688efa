import CordonCore
import CordonService
import CordonStore
import CordonWire
import Foundation
import Logging

/// The bodies of the libFuzzer harnesses, one static function an input each. They live here, in a
/// library, so that `FuzzCorpusTests` runs the same code over the seeds and past findings in
/// every `make test`, without libFuzzer.
public enum FuzzTargets {}

/// What every harness starts from: the scenario park (`fixtures/scenario-park.geojson`, small
/// enough for thousands of runs a second) and a registry of a few people and vehicles that the
/// fixtures' inputs and the seed corpora name.
///
/// Every run builds a fresh engine, so a finding depends on its input alone and reproduces
/// from the crash file.
public enum FuzzWorld {
    /// The site file the harnesses load; `CORDON_FUZZ_SITE` overrides it.
    public static let sitePath: String = {
        if let p = ProcessInfo.processInfo.environment["CORDON_FUZZ_SITE"] { return p }
        // fuzz/Sources/FuzzSupport/FuzzWorld.swift → the repository's root.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/scenario-park.geojson").path
    }()

    /// The loaded site, or the harness stops at once: without it no run means anything.
    public static let site: Site = {
        do {
            return try SiteFile.load(path: sitePath)
        } catch {
            FileHandle.standardError.write(Data("fuzz: cannot load \(sitePath): \(error)\n".utf8))
            exit(2)
        }
    }()

    /// 2026-11-22T00:00:00Z, 08:00 in the park: the fixtures' morning.
    public static let start = Instant(milliseconds: 1_795_305_600_000)

    /// `registry.upsert` of the people and vehicles the seeds use: a welder with hot-work, a
    /// contractor, a guardian, an operator with a card, a hazmat truck and a general van.
    public static let registryRequest: [UInt8] = Array("""
        {"op":"registry.upsert","people":[
        {"id":"P0001","name":"王伟","role":"welder","enterprise":"E01","tag":"T1001","qualifications":[{"name":"hot-work","expires":"2027-06-30"}]},
        {"id":"P0042","name":"赵强","role":"fitter","enterprise":"E03","tag":"T1042","contractor":true,"induction_until":"2027-03-31"},
        {"id":"P0043","name":"钱伟","role":"safety-officer","enterprise":"E01","tag":"T1043"},
        {"id":"P0101","name":"刘洋","role":"operator","enterprise":"E01","tag":"T2101","card":"C67544651"}],
        "vehicles":[
        {"plate":"鲁E6H021","kind":"hazmat","enterprise":"E02","tag":"GV021"},
        {"plate":"鲁B12345","kind":"general","enterprise":"E01","tag":"GV0001"}]}
        """.utf8)

    /// A few messages so that the control ops find someone inside, an alarm raised and a
    /// vehicle on site: entries at the gates, a contractor in the tank farm, an SOS.
    public static let warmUp: [String] = [
        #"{"type":"gate","gate":"G3","t":"2026-11-22T07:58:00+08:00","direction":"in","person":"P0001","tag":"T1001"}"#,
        #"{"type":"gate","gate":"G3","t":"2026-11-22T07:58:30+08:00","direction":"in","person":"P0042","tag":"T1042"}"#,
        #"{"type":"position","tag":"T1001","t":"2026-11-22T08:00:00+08:00","x":60.0,"y":250.0,"moving":true}"#,
        #"{"type":"position","tag":"T1042","t":"2026-11-22T08:00:03+08:00","x":80.0,"y":240.0,"moving":true,"battery_pct":5}"#,
        #"{"type":"position","plate":"鲁B12345","t":"2026-11-22T08:00:04+08:00","x":300.0,"y":100.0,"speed_kmh":12}"#,
        #"{"type":"alert","tag":"T1043","t":"2026-11-22T08:00:05+08:00","alert":"sos"}"#,
    ]

    /// A fresh engine on the site, with the registry applied, behind a pipeline like serve's.
    ///
    /// - Parameters:
    ///   - store: an in-memory store (track history, persisted control changes, stored violations),
    ///     as in `serve`; without it, the replay configuration.
    ///   - warm: whether to feed ``warmUp`` first.
    public static func pipeline(store: Bool, warm: Bool) -> Pipeline {
        let engine = Engine(site: site, registry: Registry(), start: start)
        var s: Store?
        if store {
            do { s = try Store.inMemory() } catch {
                FileHandle.standardError.write(Data("fuzz: no in-memory store: \(error)\n".utf8))
                exit(2)
            }
        }
        let p = Pipeline(engine: engine, store: s, sink: NullSink(), sitePath: sitePath,
                         logger: .init(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))
        _ = p.control(bytes: registryRequest, at: start)
        if warm {
            for line in warmUp { p.ingest(frame: Array(line.utf8), receivedAt: start) }
        }
        return p
    }

    /// The input split into records at each newline (empty records dropped).
    public static func records(_ data: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var out: [UnsafeRawBufferPointer] = []
        var start = 0
        for i in 0...data.count where i == data.count || data[i] == 0x0A {
            if i > start { out.append(UnsafeRawBufferPointer(rebasing: data[start..<i])) }
            start = i + 1
        }
        return out
    }
}

/// Publishes nowhere, but reads every body, as a socket would.
public final class NullSink: EventSink {
    public private(set) var published = 0

    public init() {}

    public func publish(topic: String, body: [UInt8]) -> Bool {
        published &+= body.count &+ topic.utf8.count
        return true
    }
}
