import ArgumentParser
import CordonCore
import CordonStore
import Foundation

/// `cordon store`: looking after the data directory's files, directly on them (the service
/// may be running: SQLite's WAL lets this read beside it).
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Sizes, row counts and backups of the data directory.",
        subcommands: [Stats.self, Backup.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File sizes, and rows, oldest and newest per class of record.")
        @Option(help: "The data directory (serve --data).") var data: String

        func run() throws {
            let store = try Store(directory: data)
            defer { try? store.close() }
            let s = try store.stats()
            for f in s.files { print("\(f.name)  \(Self.size(f.bytes))") }
            print("")
            let rows = [["class", "rows", "oldest", "newest"]] + s.classes.map { c in
                [c.name, String(c.rows), c.oldest?.rfc3339 ?? "", c.newest?.rfc3339 ?? ""]
            }
            var widths = [0, 0, 0, 0]
            for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
            for r in rows {
                print(zip(r, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces))
            }
        }

        static func size(_ b: Int64) -> String {
            b >= 1 << 30 ? String(format: "%.2f GiB", Double(b) / Double(1 << 30))
                : b >= 1 << 20 ? String(format: "%.1f MiB", Double(b) / Double(1 << 20)) : "\(b) B"
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A consistent copy of both databases, taken while the service runs.",
            discussion: """
                Writes DIR/cordon.sqlite and DIR/tracks.sqlite with SQLite's online backup, from a read
                snapshot: the service goes on writing meanwhile. DIR must not already hold a backup.
                Restore: stop the service, copy both files into the data directory (deleting any
                -wal and -shm files there), start the service. See docs/operations.md.
                """)
        @Option(help: "The data directory (serve --data).") var data: String
        @Flag(help: "Only cordon.sqlite, not the (large) track history.") var withoutTracks = false
        @Argument(help: "The directory to write the copy into (created).") var destination: String

        func run() throws {
            let store = try Store(directory: data)
            defer { try? store.close() }
            let started = Date()
            let written = try store.backup(to: destination, tracks: !withoutTracks)
            for w in written { print(w) }
            FileHandle.standardError.write(Data(String(format: "cordon store backup: done in %.1f s\n", Date().timeIntervalSince(started)).utf8))
        }
    }
}
