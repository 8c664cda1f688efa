import ArgumentParser
import CordonService
import Foundation
import Logging

/// `cordon serve`: the service.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service on a site (PROTOCOL.md section 1).")

    @Option(help: "The site file (GeoJSON, PROTOCOL.md section 6).") var site: String
    @Option(help: "Directory for the SQLite store (created if missing).") var data: String
    @Option(help: "Ingest PULL address (default from the site file, else tcp://127.0.0.1:7001).") var ingest: String?
    @Option(help: "Events PUB address (default from the site file, else tcp://127.0.0.1:7002).") var events: String?
    @Option(help: "Control REP address (default from the site file, else tcp://127.0.0.1:7003).") var control: String?
    @Flag(help: "Allow binding non-loopback addresses without CURVE.") var allowInsecureBind = false
    @Option(help: "CURVE: a file holding the server's Z85 secret key (cordon keygen makes one). All three sockets then require CURVE.")
    var curveSecretKeyFile: String?
    @Option(help: "CURVE: the clients to let in, one a line: PUBLIC-KEY ROLE NAME (roles: ingest, viewer, operator, admin).")
    var curveAllowedKeysFile: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel: String = "info"

    func run() throws {
        LoggingSetup.bootstrap(level: logLevel)
        let logger = Logger(label: "cordon.serve")
        var config = ServiceConfig(sitePath: site, dataDirectory: data)
        // The site file may carry addresses; the command line wins.
        if let fileAddresses = try? SiteFile.load(path: site).addresses {
            if let a = fileAddresses["ingest"] { config.ingest = a }
            if let a = fileAddresses["events"] { config.events = a }
            if let a = fileAddresses["control"] { config.control = a }
        }
        if let ingest { config.ingest = ingest }
        if let events { config.events = events }
        if let control { config.control = control }
        config.allowInsecureBind = allowInsecureBind
        if let path = curveSecretKeyFile {
            do {
                config.curveSecretKey = try KeyFile.readKey(path: path)
                if let keys = curveAllowedKeysFile { config.curveClients = try ClientKeys.load(path: keys) }
            } catch {
                // A key left out would lock out a gate; a role misread would widen one: never guess.
                logger.critical("\(error)")
                throw ExitCode(2)
            }
        } else if curveAllowedKeysFile != nil {
            logger.critical("--curve-allowed-keys-file needs --curve-secret-key-file: without the server's key the sockets do not use CURVE")
            throw ExitCode(2)
        }
        let service: Service
        do {
            service = try Service(config: config, logger: logger)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        let stop = StopFlag()
        stop.installSignalHandlers()
        service.run(until: stop)
        logger.info("stopped")
    }
}
