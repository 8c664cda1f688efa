import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Temporary directories for the tests, all under one per test process
/// (`$TMPDIR/cordon-tests.<pid>/`). The first one made also removes what earlier runs left
/// whose process is gone: a run leaves some 250 MB of stores, logs and workloads, and a machine
/// that runs the tests every hour must not fill its disk with them.
public enum TestDirectory {
    /// A new, empty directory named `<prefix>-<uuid>`.
    public static func make(_ prefix: String) -> String {
        let dir = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private static let root: URL = {
        let tmp = FileManager.default.temporaryDirectory
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("cordon-tests.") {
            guard let pid = Int32(name.dropFirst("cordon-tests.".count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { try? fm.removeItem(at: tmp.appendingPathComponent(name)) }
        }
        let root = tmp.appendingPathComponent("cordon-tests.\(getpid())")
        try? fm.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }()
}
