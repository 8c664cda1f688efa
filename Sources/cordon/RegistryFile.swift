import CordonCore
import CordonWire
import Foundation

/// Reads `{"people":[…],"vehicles":[…],"references":[…]}` (the shape of `registry.upsert`) from a file.
enum RegistryFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load(path: String) throws -> Registry {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read the registry file \(path)")
        }
        let doc: Value
        do { doc = try JSONText.parse(data) } catch { throw Failure(description: "\(path) is not valid JSON: \(error)") }
        var reg = Registry()
        do {
            for p in doc["people"]?.arrayValue ?? [] { reg.upsert(try RegistryRecords.person(p)) }
            for v in doc["vehicles"]?.arrayValue ?? [] { reg.upsert(try RegistryRecords.vehicle(v)) }
            for r in doc["references"]?.arrayValue ?? [] { reg.upsert(try RegistryRecords.reference(r)) }
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
        return reg
    }
}
