import CordonCore
import CordonStore
import CordonWire
import Foundation
import Logging
import Testing

@testable import CordonService
import CordonTestSupport

/// The committer lets frames that publish nothing (live-state rows only) wait a moment to share
/// the next commit (EventCommitter.quietDelay); nothing that publishes waits, nothing is
/// published before what came before it is stored, and `waitIdle()` waits for no delay.
@Suite("The committer: quiet frames share a commit, in order")
struct EventCommitterTests {
    /// Records each event with the live rows the store held when it went out.
    final class Recorder: EventSink, @unchecked Sendable {
        let store: Store
        var seen: [(topic: String, liveRows: Int)] = []
        init(store: Store) { self.store = store }
        func publish(topic: String, body: [UInt8]) -> Bool {
            seen.append((topic, (try? store.loadLive().subjects.count) ?? -1))
            return true
        }
    }

    /// An engine on the scenario park with `people` tags walked into a zone one frame each: a
    /// journal of live-state rows per frame, nothing published.
    static func quietJournals(_ engine: Engine, people: Int) -> [EngineJournal] {
        var out: [EngineJournal] = []
        for i in 0..<people {
            let m = #"{"type":"position","tag":"T-\#(i)","t":\#(1_795_334_400_000 + i),"x":60.25,"y":250}"#
            IngestDecoder().decode(Array(m.utf8)) { if case .message(let msg) = $0 { _ = engine.handle(msg) } }
            if let j = engine.drainJournal() { out.append(j) }
        }
        return out
    }

    /// A store in a fresh directory and an engine on the scenario park.
    static func storeAndEngine() throws -> (Store, Engine) {
        let store = try Store(directory: ServiceHarness.temporaryDirectory())
        let site = try SiteFile.load(path: ServiceHarness.fixturesRoot.appendingPathComponent("scenario-park.geojson").path)
        return (store, Engine(site: site, registry: Registry(), start: Instant(milliseconds: 1_795_334_400_000)))
    }

    @Test("quiet frames are stored before the event that follows them is published, and waitIdle stores them at once")
    func orderAndIdle() throws {
        let (store, engine) = try Self.storeAndEngine()
        defer { try? store.close() }
        let journals = Self.quietJournals(engine, people: 5)
        #expect(journals.count == 5 && journals.allSatisfy { !$0.changed.isEmpty })
        let recorder = Recorder(store: store)
        let committer = EventCommitter(store: store, sink: recorder, logger: Logger(label: "test"))
        defer { committer.close() }

        // Quiet batches, then one that publishes: it goes out after all of them are stored.
        for j in journals.prefix(3) { committer.submit(.init(encoded: [], outputs: [], passages: [], journal: j)) }
        committer.submit(.init(encoded: [(topic: "test.event", body: Array("{}".utf8))], outputs: [], passages: [], journal: nil))
        committer.waitIdle()
        #expect(recorder.seen.count == 1)
        #expect(recorder.seen.first?.liveRows == 3, "the quiet rows before the event were stored when it went out")

        // Quiet batches alone: waitIdle (a control request's reply) stores them without the delay.
        let started = Date()
        for j in journals.suffix(2) { committer.submit(.init(encoded: [], outputs: [], passages: [], journal: j)) }
        committer.waitIdle()
        #expect(try store.loadLive().subjects.count == 5)
        #expect(-started.timeIntervalSinceNow < 1, "waitIdle did not wait out a delay")
    }

    @Test("quiet frames alone are stored without anyone asking, within the delay")
    func storedUnasked() throws {
        let (store, engine) = try Self.storeAndEngine()
        defer { try? store.close() }
        let recorder = Recorder(store: store)
        let committer = EventCommitter(store: store, sink: recorder, logger: Logger(label: "test"))
        defer { committer.close() }
        for j in Self.quietJournals(engine, people: 4) { committer.submit(.init(encoded: [], outputs: [], passages: [], journal: j)) }
        let deadline = Date().addingTimeInterval(10)
        while try store.loadLive().subjects.count < 4, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(try store.loadLive().subjects.count == 4)
    }
}
