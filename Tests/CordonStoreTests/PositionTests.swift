import CordonCore
import Testing

@testable import CordonStore

@Suite("Track history")
struct PositionTests {
    static func walk(_ subject: SubjectKey, count: Int, from start: Instant, everySeconds step: Double) -> [TrackPoint] {
        (0..<count).map { i in
            TrackPoint(subject: subject, time: start.adding(seconds: Double(i) * step),
                       x: 100 + Double(i) * 0.5, y: 200 - Double(i) * 0.25, level: i % 3,
                       lon: 118.734_123_4 + Double(i) * 1e-6, lat: 37.451_234_5,
                       zoneID: i % 2 == 0 ? "Z-TANK-1" : nil, speed: i % 3 == 0 ? nil : 1.25)
        }
    }

    @Test("a batch goes in; a track comes back in time order, within its window, for that subject only")
    func batchAndTrack() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let person = SubjectKey.person("P0042")
            let truck = SubjectKey.vehicle("鲁E12345")
            let mine = Self.walk(person, count: 500, from: morning, everySeconds: 2)
            let theirs = Self.walk(truck, count: 500, from: morning, everySeconds: 1)
            // Interleaved and shuffled, as positions of many tags arrive.
            var all = zip(mine, theirs).flatMap { [$0, $1] }
            all.swapAt(0, 999)
            try store.appendPositions(all)

            #expect(try store.track(subject: person, from: morning, until: morning.adding(seconds: 10_000)) == mine)
            // from is inclusive, until exclusive.
            let window = try store.track(subject: person, from: morning.adding(seconds: 10), until: morning.adding(seconds: 20))
            #expect(window == Array(mine[5..<10]))
            #expect(try store.track(subject: truck, from: morning, until: morning.adding(seconds: 10_000), limit: 3) == Array(theirs.prefix(3)))
            // The same id as another kind is another subject.
            #expect(try store.track(subject: .tag("P0042"), from: morning, until: morning.adding(seconds: 10_000)).isEmpty)
        }
    }

    @Test("pruning deletes what is older than the cutoff, in chunks, and nothing else")
    func prune() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            let person = SubjectKey.person("P0042")
            let points = Self.walk(person, count: 1000, from: morning, everySeconds: 1)
            try store.appendPositions(points)
            #expect(try store.prunePositions(olderThan: morning.adding(seconds: 250), chunk: 64) == 250)
            let left = try store.track(subject: person, from: Instant(milliseconds: 0), until: morning.adding(seconds: 10_000))
            #expect(left == Array(points[250...]))
            #expect(try store.prunePositions(olderThan: morning) == 0)
        }
    }
}
