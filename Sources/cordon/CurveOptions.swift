import ArgumentParser
import CordonService

/// The CURVE options of every command that talks to a running service.
struct CurveOptions: ParsableArguments {
    @Option(help: "CURVE: the service's Z85 public key.") var curveServerKey: String?
    @Option(help: "CURVE: a file holding this client's Z85 secret key (cordon keygen writes one).") var curveKeyFile: String?

    /// The credentials, nil without CURVE; an error naming what is wrong with them.
    func credentials() throws -> ClientCurve? {
        switch (curveServerKey, curveKeyFile) {
        case (nil, nil): return nil
        case (let server?, let file?):
            do { return try ClientCurve(serverKey: server, secretKeyFile: file) } catch { throw ValidationError("\(error)") }
        default: throw ValidationError("\(ClientCurveError.incomplete)")
        }
    }
}
