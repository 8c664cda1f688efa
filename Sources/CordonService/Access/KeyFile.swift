import Foundation
import ZeroMQ

/// A file holding one Z85 key (a secret key as `cordon keygen` writes it); blank lines and
/// comment lines (starting with `#` and not a key) are skipped.
public enum KeyFile {
    /// The key in the file at `path`, or an error naming the file and what is wrong with it.
    public static func readKey(path: String) throws(ClientKeysError) -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // `#` is a letter of Z85: a line that is a key is a key, even when it starts with one.
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let isKey = line.utf8.count == 40 && ZMQCurve.decode(z85: line)?.count == 32
            if !isKey && line.hasPrefix("#") { continue }
            guard isKey else {
                throw .badLine(path: path, line: i + 1, reason: "not a Z85 key of 40 characters (cordon keygen writes one)")
            }
            return line
        }
        throw .badLine(path: path, line: 1, reason: "the file holds no key (cordon keygen writes one)")
    }
}
