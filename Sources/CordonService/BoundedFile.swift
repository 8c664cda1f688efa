import Foundation

/// Reads a file named from outside (a site file's secret file, a forwarding list) up to a
/// size it can sensibly have: a path to `/dev/zero` or to a log gigabytes long is refused
/// with a message instead of filling memory or never returning.
enum BoundedFile {
    enum Failure: Error, Equatable {
        case unreadable
        case tooLarge(maxBytes: Int)
    }

    /// The file's bytes, when it has at most `maxBytes` of them.
    static func read(_ path: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxBytes + 1) ?? Data() } catch { throw .unreadable }
        guard data.count <= maxBytes else { throw .tooLarge(maxBytes: maxBytes) }
        return Array(data)
    }
}
