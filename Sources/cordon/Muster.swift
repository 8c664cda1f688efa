import ArgumentParser
import CordonCore
import CordonService
import CordonStore
import CordonWire
import Foundation

/// `cordon muster report`: a finished roll-call's report, from the store.
struct Muster: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emergency mustering records.",
        subcommands: [Report.self])

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the final report of an ended muster (muster.list gives the ids).",
            discussion: """
                CSV has one row per person on the roster: id, name, enterprise, status (accounted or \
                missing), accounted_at, point, marked_by, note, late_entry, last_seen_at, last_zone, \
                last_x, last_y, last_level. JSON is the report exactly as muster.end returned it.
                """)

        @Argument(help: "The muster id, e.g. MU-20261122090000.") var id: String
        @Option(help: "The service's data directory.") var data: String
        @Option(help: "csv or json.") var format: String = "json"

        func validate() throws {
            guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
        }

        func run() throws {
            let store: Store
            do { store = try Store(directory: data) } catch {
                FileHandle.standardError.write(Data("cordon muster report: \(error)\n".utf8))
                throw ExitCode(2)
            }
            defer { try? store.close() }
            guard let bytes = try store.loadState(key: Pipeline.musterReportKey(id)), !bytes.isEmpty else {
                FileHandle.standardError.write(Data("cordon muster report: no ended muster '\(id)' in \(data) (muster.list shows the ids)\n".utf8))
                throw ExitCode(1)
            }
            let report = try JSONText.parse(bytes)
            print(format == "json" ? JSONText.encode(report) : MusterCSV.render(report), terminator: format == "json" ? "\n" : "")
        }
    }
}

