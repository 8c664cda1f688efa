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
    @Option(help: "CURVE: a file of the clients' Z85 public keys to let in, one a line.")
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
            guard let key = KeyFile.read(path).first else {
                logger.critical("no Z85 secret key in \(path) (cordon keygen writes one)")
                throw ExitCode(2)
            }
            config.curveSecretKey = key
            config.curveAllowedClients = Set(curveAllowedKeysFile.map(KeyFile.read) ?? [])
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
