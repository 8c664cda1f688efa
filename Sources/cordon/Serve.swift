import ArgumentParser
import CordonCore
import CordonHTTP
import CordonService
import Foundation
import Logging

/// `cordon serve`: the service.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the service on a site (docs/protocol.md, 'Transport').")

    @Option(help: "The site file (GeoJSON, docs/site-file.md).") var site: String
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
    @Option(help: "A JSON file listing the platforms to forward alarms to, instead of the site file's cordon.forwarding (docs/forwarding.md).")
    var forwarding: String?
    @Option(help: "HTTP address of the console, the API, /healthz and /metrics (docs/protocol.md, 'HTTP'), or 'off'.")
    var http: String = "127.0.0.1:7080"
    @Option(help: "HTTP callers, one a line: TOKEN ROLE NAME (roles: ingest, viewer, operator, admin). Without it: loopback only, every caller an operator named 'local'.")
    var httpTokensFile: String?
    @Option(help: "The console's files (default: console/ beside the binary or above it, else /usr/share/cordon/console).")
    var consoleDir: String?
    @Option(help: "Leaflet's files, served at /assets/leaflet/ (Debian's libjs-leaflet).")
    var leafletDir: String = "/usr/share/javascript/leaflet"

    func run() throws {
        LoggingSetup.bootstrap(level: logLevel)
        let logger = Logger(label: "cordon.serve")
        var config = ServiceConfig(sitePath: site, dataDirectory: data)
        config.forwardingFile = forwarding
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
        let console: ConsoleServer?
        do {
            console = try makeConsole(allowInsecureBind: allowInsecureBind)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        config.httpBridge = console?.bridge
        let service: Service
        do {
            service = try Service(config: config, logger: logger)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(2)
        }
        let stop = StopFlag()
        stop.installSignalHandlers()
        // The HTTP side failing (its address taken, say) stops the service with exit status 2,
        // as a taken ZeroMQ address does: never a clean-looking 0 a supervisor would not restart.
        let httpFailed = StopFlag()
        if let console {
            let host = console.options.host
            Task {
                do {
                    try await console.run { port in logger.info("console http://\(host.contains(":") ? "[\(host)]" : host):\(port)/") }
                } catch {
                    logger.critical("the HTTP side stopped: \(error) (choose another address with --http, or --http off)")
                    httpFailed.set()
                    stop.set()
                }
            }
        }
        service.run(until: stop)
        logger.info("stopped")
        if httpFailed.isSet { throw ExitCode(2) }
    }

    /// The HTTP side, unless `--http off`.
    private func makeConsole(allowInsecureBind: Bool) throws -> ConsoleServer? {
        guard let address = try HTTPOptions.parseAddress(http) else { return nil }
        guard let dir = consoleDir ?? ConsoleLocator.find() else { throw HTTPSetupError.consoleNotFound("console/ beside the binary") }
        var options = HTTPOptions(consoleDirectory: dir)
        options.host = address.host
        options.port = address.port
        options.allowInsecureBind = allowInsecureBind
        options.leafletDirectory = leafletDir
        if let path = httpTokensFile { options.tokens = try TokenFile.load(path: path) }
        let metrics = MetricsExporter()
        return try ConsoleServer(options: options, bridge: try ConsoleServer.makeBridge(metrics: metrics), metrics: metrics)
    }
}
