import ArgumentParser
import Foundation

extension Cordon {
    /// docs/protocol.md, "Replay": unusable arguments exit with status 2 (ArgumentParser's own
    /// convention is 64). Help and version still exit 0; a command's own exit codes pass through.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Self.exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
