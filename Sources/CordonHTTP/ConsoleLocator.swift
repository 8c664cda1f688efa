import Foundation

/// Finds the console's files when `--console-dir` is not given: a `console/` folder beside the
/// binary or in one of its parents (a checkout running `.build/debug/cordon`), else the
/// installed `/usr/share/cordon/console`.
public enum ConsoleLocator {
    public static func find(executable: String = CommandLine.arguments.first ?? "") -> String? {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? executable
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("console")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("index.html").path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        let installed = "/usr/share/cordon/console"
        return FileManager.default.fileExists(atPath: installed + "/index.html") ? installed : nil
    }
}
