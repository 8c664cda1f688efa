import CordonCore
import CordonWire
import Foundation

/// Reads a site file from disk into a loaded ``Site``.
public enum SiteFile {
    /// Why a site file could not be used.
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case notJSON(path: String, reason: String)
        case invalid(path: String, SiteError)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read the site file \(path): \(reason)"
            case .notJSON(let path, let reason): return "the site file \(path) is not valid JSON: \(reason)"
            case .invalid(let path, let e): return "\(path): \(e)"
            }
        }
    }

    public static func load(path: String) throws(Failure) -> Site {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let doc: Value
        do {
            doc = try JSONText.parse(data)
        } catch {
            throw .notJSON(path: path, reason: "\(error)")
        }
        do {
            return try SiteLoader.load(doc)
        } catch {
            throw .invalid(path: path, error)
        }
    }
}
