import Logging

/// Logs go to standard error, so that standard output stays for data (replay lines, replies).
enum LoggingSetup {
    static func bootstrap(level: String) {
        let lvl = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = lvl
            return h
        }
    }
}
