import Foundation

/// Reads a file (or standard input) line by line as bytes, without decoding text: the
/// decoder works on UTF-8 bytes directly.
///
/// ``forEachLine(_:)`` lends each line in place (found with `memchr`, no copy); iterating as a
/// `Sequence` copies each line into its own array, for callers that keep lines.
struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            handle = h
        }
    }

    mutating func next() -> [UInt8]? {
        var line: [UInt8]?
        _ = nextLine { line = Array($0) }
        return line
    }

    /// Calls `body` with every remaining line (without its newline), valid during the call only.
    mutating func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        while nextLine(body) {}
    }

    /// Lends the next line to `body`; false at the end of the input.
    private mutating func nextLine(_ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        while true {
            let found: Int? = buffer.withUnsafeBytes { all in
                guard start < all.count, let base = all.baseAddress else { return nil }
                guard let hit = memchr(base + start, 10, all.count - start) else { return nil }
                let nl = base.distance(to: UnsafeRawPointer(hit))
                body(UnsafeRawBufferPointer(rebasing: all[start..<nl]))
                return nl
            }
            if let nl = found {
                start = nl + 1
                return true
            }
            if eof {
                guard start < buffer.count else { return false }
                buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                start = buffer.count
                return true
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
