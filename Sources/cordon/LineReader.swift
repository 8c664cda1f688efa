import Foundation

/// Reads a file (or standard input) line by line as bytes, without decoding text: the
/// decoder works on UTF-8 bytes directly.
///
/// ``forEachLine(_:)`` lends each line in place (found with `memchr`, no copy); iterating as a
/// `Sequence` copies each line into its own array, for callers that keep lines.
///
/// A line longer than `maxLineBytes` is handed on cut to that length and the rest of it is
/// skipped, so that a file without newlines cannot make the reader hold all of it. The default
/// is one byte past the largest ingest frame, so the decoder still refuses such a line as
/// `too-large`, as it refused the whole line before.
struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    /// Inside a line already handed on cut: its bytes up to the next newline are dropped.
    private var skipping = false

    init(path: String, maxLineBytes: Int = (1 << 20) + 1) throws {
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            handle = h
        }
        self.maxLineBytes = Swift.max(1, maxLineBytes)
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
            let newline: Int? = buffer.withUnsafeBytes { all in
                guard start < all.count, let base = all.baseAddress,
                      let hit = memchr(base + start, 10, all.count - start) else { return nil }
                return base.distance(to: UnsafeRawPointer(hit))
            }
            if skipping {
                // The rest of a line handed on cut: dropped up to its newline.
                if let nl = newline {
                    start = nl + 1
                    skipping = false
                    continue
                }
                start = buffer.count
            } else if let nl = newline, nl - start <= maxLineBytes {
                buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<nl])) }
                start = nl + 1
                return true
            } else if buffer.count - start > maxLineBytes {
                buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + maxLineBytes)])) }
                if let nl = newline { start = nl + 1 } else { start = buffer.count; skipping = true }
                return true
            }
            if eof {
                guard !skipping, start < buffer.count else { return false }
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
