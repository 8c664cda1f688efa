import CordonCore
import Foundation
import Testing

@testable import CordonStore

@Suite("Retention deletes by class and age, in small batches; a backup restores")
struct RetentionTests {
    func point(_ kind: String, _ id: String, at t: Instant) -> TrackPoint {
        TrackPoint(subject: kind == "vehicle" ? .vehicle(id) : .person(id), time: t, x: 1, y: 2, level: 0, lon: 118.7, lat: 37.4)
    }

    @Test("people's positions go after their period, vehicles' after theirs; newer rows and open alarms stay")
    func byClass() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir)
            defer { try? store.close() }
            let old = morning.adding(seconds: -40 * 86400), recent = morning.adding(seconds: -86400)
            try store.appendPositions((0..<2500).map { point("person", "P\($0 % 7)", at: old.adding(seconds: Double($0))) }
                + [point("person", "P1", at: recent), point("vehicle", "鲁E6H031", at: old)])
            let openOld = tankFarmIntrusion(id: "V-open", at: old)
            let closedOld = tankFarmIntrusion(id: "V-closed", at: old)
            try store.record(openOld, body: body(of: openOld))
            try store.record(closedOld, body: body(of: closedOld))
            try store.record(cleared(closedOld, at: old.adding(seconds: 5)), body: body(of: cleared(closedOld, at: old.adding(seconds: 5))))

            // 30 days for people: the 2,500 old rows go, in batches of 1,000.
            var batches = 0
            while try store.pruneBatch(.personPositions, olderThan: morning.adding(seconds: -30 * 86400), batch: 1000) > 0 { batches += 1 }
            #expect(batches == 3)
            let stats = try store.stats()
            #expect(stats.classes.first { $0.name == "person_positions" }?.rows == 1)
            #expect(stats.classes.first { $0.name == "vehicle_positions" }?.rows == 1, "180 days for vehicles: the 40-day-old fix stays")
            #expect(stats.classes.first { $0.name == "person_positions" }?.oldest == recent)

            // Violations older than the cutoff go; the open alarm's raise is history gone, but the alarm stays up.
            _ = try store.pruneBatch(.violations, olderThan: morning)
            #expect(try store.violations().isEmpty)
            #expect(try store.activeAlarms().map(\.id) == ["V-open"])
            #expect(try store.alarm(id: "V-closed") == nil)
        }
    }

    @Test("a backup taken while violations are being committed is consistent, and restoring it gives the data back")
    func backupAndRestore() throws {
        try withTemporaryDirectory { dir in
            let store = try Store(directory: dir + "/data")
            try store.upsertPeople([Person(id: "P0042", name: "赵强", tag: "T1042")])
            try store.appendPositions([point("person", "P0042", at: morning)])
            for i in 0..<200 {
                let v = tankFarmIntrusion(id: "V-\(i)", at: morning.adding(seconds: Double(i)))
                try store.record(v, body: body(of: v))
            }
            // Writes go on during the backup.
            let writing = Thread {
                for i in 200..<400 {
                    let v = tankFarmIntrusion(id: "V-\(i)", at: morning.adding(seconds: Double(i)))
                    try? store.record(v, body: body(of: v))
                }
            }
            writing.start()
            let written = try store.backup(to: dir + "/backup")
            #expect(written.map { ($0 as NSString).lastPathComponent } == ["cordon.sqlite", "tracks.sqlite"])
            #expect(throws: StoreError.self) { try store.backup(to: dir + "/backup") }
            while writing.isExecuting { usleep(10_000) }
            try store.close()

            // Restore as docs/operations.md says: the files into an empty data directory, then start.
            let restoredDir = dir + "/restored"
            try FileManager.default.createDirectory(atPath: restoredDir, withIntermediateDirectories: true)
            for name in ["cordon.sqlite", "tracks.sqlite"] {
                try FileManager.default.copyItem(atPath: dir + "/backup/" + name, toPath: restoredDir + "/" + name)
            }
            let restored = try Store(directory: restoredDir)
            defer { try? restored.close() }
            #expect(try restored.loadRegistry().people.map(\.id) == ["P0042"])
            #expect(try restored.track(subject: .person("P0042"), from: morning, until: morning.adding(seconds: 1)).count == 1)
            let ids = try restored.violations(limit: 1000).map(\.id)
            #expect(ids.count >= 200 && ids.count <= 400)
            #expect(ids == (0..<ids.count).map { "V-\($0)" }, "a prefix of the commits: nothing torn, nothing out of order")
            #expect(try restored.pragma("integrity_check") == "ok")
        }
    }
}
