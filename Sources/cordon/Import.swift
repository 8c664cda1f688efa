import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon import`: people or vehicles from a CSV file into the running service.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import people.csv or vehicles.csv into the running service (registry.upsert over the control socket).",
        discussion: """
            The file is UTF-8 with a header row. People: id (required), name, role, enterprise, tag, card,
            contractor, induction_until, blacklisted, qualifications ("hot-work:2027-06-30; confined-space").
            Vehicles: plate, kind (both required; kind is hazmat, general or staff), enterprise, tag, blacklisted.
            Every row is validated first and every problem is printed with its line number; a file with any
            problem imports nothing. Records are upserted: a person with the same id (a vehicle with the same
            plate, after normalisation) is replaced, others are left as they are.
            Exit status: 0 imported (or valid, with --dry-run), 1 invalid file or refused, 3 no reply.
            """)

    @Option(help: "Control address of the running service.") var control = "tcp://127.0.0.1:7003"
    @Option(help: "people or vehicles (default: from the header: an 'id' column is people, 'plate' vehicles).")
    var kind: String?
    @Flag(help: "Validate the file and report; send nothing.") var dryRun = false
    @Option(help: "Milliseconds to wait for the reply.") var timeout = 30000
    @OptionGroup var curve: CurveOptions
    @Argument(help: "The CSV file.") var file: String

    func run() throws {
        var expected: RegistryCSV.Kind?
        if let kind {
            guard let k = RegistryCSV.Kind(rawValue: kind) else { throw ValidationError("--kind is people or vehicles") }
            expected = k
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("cordon import: cannot read \(file)\n".utf8))
            throw ExitCode(1)
        }
        let records: RegistryCSV.Records
        switch RegistryCSV.read(Array(data), kind: expected) {
        case .success(let r):
            records = r
        case .failure(let f):
            let lines = f.problems.map { "\(file):\($0.line): \($0.message)" }.joined(separator: "\n")
            FileHandle.standardError.write(Data("\(lines)\ncordon import: \(f.problems.count) problem(s); nothing imported\n".utf8))
            throw ExitCode(1)
        }
        if dryRun {
            print("\(file): \(records.count) \(records.kind.rawValue), all valid; nothing sent (--dry-run)")
            return
        }
        let request: Value = records.kind == .people
            ? ["op": "registry.upsert", "people": .array(records.people.map(RegistryRecords.value))]
            : ["op": "registry.upsert", "vehicles": .array(records.vehicles.map(RegistryRecords.value))]
        let client = try ControlClient(endpoint: control, curve: try curve.credentials(), timeoutMilliseconds: timeout)
        guard let reply = try client.send(request) else {
            FileHandle.standardError.write(Data("cordon import: no reply from \(control) within \(timeout) ms (is cordon serve running?)\n".utf8))
            throw ExitCode(3)
        }
        let value = try? JSONText.parse(reply)
        guard value?["ok"]?.boolValue == true else {
            FileHandle.standardError.write(Data("cordon import: refused: \(String(decoding: reply, as: UTF8.self))\n".utf8))
            throw ExitCode(1)
        }
        print("\(file): \(records.count) \(records.kind.rawValue) imported")
    }
}
