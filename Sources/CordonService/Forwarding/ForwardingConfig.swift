import CordonCore
import CordonWire
import Foundation

/// The destinations `serve` forwards to: the site file's `cordon.forwarding`, or the JSON file
/// of `serve --forwarding FILE` (the same list; it wins). Every member is checked at start and
/// a mistake stops `serve` with a message naming it (exit status 2): a platform silently not
/// receiving alarms is the failure this exists to prevent.
public struct ForwardingConfig: Sendable, Equatable {
    public var destinations: [ForwardingDestination]

    public static let none = ForwardingConfig(destinations: [])

    public init(destinations: [ForwardingDestination]) {
        self.destinations = destinations
    }

    /// Reads the list from `file` when given, else from the site document.
    public static func load(site document: Value, file: String?) throws(Invalid) -> ForwardingConfig {
        let list: Value
        let origin: String
        if let file {
            let data: [UInt8]
            do { data = try BoundedFile.read(file, maxBytes: 1 << 20) } catch {
                throw Invalid(error == .unreadable ? "cannot read the forwarding file \(file)" : "the forwarding file \(file) is larger than 1 MiB")
            }
            do { list = try JSONText.parse(data) } catch { throw Invalid("\(file) is not valid JSON: \(error)") }
            origin = file
        } else {
            guard let l = document["cordon"]?["forwarding"], !l.isNull else { return .none }
            list = l
            origin = "cordon.forwarding"
        }
        guard let items = list.arrayValue else { throw Invalid("\(origin) must be a list of destinations") }
        var seen: Set<String> = []
        var out: [ForwardingDestination] = []
        for (i, item) in items.enumerated() {
            let d = try destination(item, at: "\(origin)[\(i)]")
            guard seen.insert(d.id).inserted else { throw Invalid("\(origin)[\(i)]: the id '\(d.id)' is used twice") }
            out.append(d)
        }
        return ForwardingConfig(destinations: out)
    }

    static let known: Set<String> = ["id", "kind", "url", "profile", "secret_file", "types", "kinds", "zones", "enterprises",
                                     "names", "give_up_h", "max_backoff_s", "park", "gateway", "endpoint", "snapshot_s",
                                     "appid", "appsecret_file", "enterprise_code", "sm4_key_file", "sm4_iv", "vehicle_interval_s",
                                     "host", "port", "user", "password_file", "access_code", "m1", "ia1", "ic1", "plate_color",
                                     "heartbeat_s", "platform_id"]

    private static func destination(_ v: Value, at place: String) throws(Invalid) -> ForwardingDestination {
        guard let o = v.objectValue else { throw Invalid("\(place) must be an object") }
        for k in o.keys.sorted() where !known.contains(k) {
            throw Invalid("\(place): unknown member '\(k)' (\(known.sorted().joined(separator: ", ")))")
        }
        guard let id = o["id"]?.stringValue, !id.isEmpty, id.count <= 64 else { throw Invalid("\(place): 'id' (1 to 64 characters) is required") }
        let here = "\(place) '\(id)'"
        guard let kind = o["kind"]?.stringValue else { throw Invalid("\(here): 'kind' is required (http)") }
        let transport: ForwardingDestination.Transport
        switch kind {
        case "http": transport = try http(o, here)
        case "jtt809": transport = try jtt809(o, here)
        case "zmq":
            guard let e = o["endpoint"]?.stringValue, e.hasPrefix("tcp://") || e.hasPrefix("ipc://") else {
                throw Invalid("\(here): 'endpoint' must be a tcp:// or ipc:// address to PUSH to")
            }
            transport = .zmq(endpoint: e)
        default:
            throw Invalid("\(here): kind '\(kind)' is not known; 'http', 'zmq' and 'jtt809' are (docs/forwarding.md)")
        }
        guard let types = o["types"]?.arrayValue?.compactMap(\.stringValue), !types.isEmpty else {
            throw Invalid("\(here): 'types' must list the message types it takes, such as [\"alarm.*\"]")
        }
        for t in types where !Self.types.contains(where: { ForwardingDestination.matches(t, $0) }) {
            throw Invalid("\(here): no message type matches '\(t)' (\(Self.types.joined(separator: ", ")))")
        }
        if case .jtt809 = transport, let t = types.first(where: { !$0.hasPrefix("vehicle.") }) {
            throw Invalid("\(here): JT/T 809 carries vehicles' positions and alarms only; '\(t)' is not one (take \"vehicle.*\")")
        }
        func set(_ name: String) throws(Invalid) -> Set<String>? {
            guard let v = o[name], !v.isNull else { return nil }
            guard let list = v.arrayValue?.compactMap(\.stringValue), list.count == v.arrayValue?.count else {
                throw Invalid("\(here): '\(name)' must be a list of strings")
            }
            return Set(list)
        }
        let kinds = try set("kinds")
        for k in kinds ?? [] where ViolationKind(rawValue: k) == nil { throw Invalid("\(here): 'kinds' names an unknown kind '\(k)'") }
        var giveUpS = 86_400.0
        if let h = o["give_up_h"] {
            guard let n = h.numberValue, n.isFinite, n >= 0.01, n <= 24 * 30 else { throw Invalid("\(here): 'give_up_h' must be hours from 0.01 to 720") }
            giveUpS = n * 3600
        }
        var snapshotS = 60.0
        if let v = o["snapshot_s"] {
            guard let n = v.numberValue, n.isFinite, n >= 1, n <= 86_400 else { throw Invalid("\(here): 'snapshot_s' must be seconds from 1 to 86400") }
            snapshotS = n
        }
        var vehicleIntervalS = 30.0
        if let v = o["vehicle_interval_s"] {
            guard let n = v.numberValue, n.isFinite, n >= 1, n <= 3600 else { throw Invalid("\(here): 'vehicle_interval_s' must be seconds from 1 to 3600") }
            vehicleIntervalS = n
        }
        var maxBackoffS = 300.0
        if let b = o["max_backoff_s"] {
            guard let n = b.numberValue, n.isFinite, n >= 1, n <= 3600 else { throw Invalid("\(here): 'max_backoff_s' must be seconds from 1 to 3600") }
            maxBackoffS = n
        }
        return ForwardingDestination(
            id: id, transport: transport, types: types, kinds: kinds, zones: try set("zones"),
            enterprises: try set("enterprises"), names: o["names"]?.boolValue ?? false, giveUpS: giveUpS, maxBackoffS: maxBackoffS, snapshotS: snapshotS,
            vehicleIntervalS: vehicleIntervalS, park: o["park"]?.stringValue, gateway: o["gateway"]?.stringValue)
    }

    private static func http(_ o: [String: Value], _ here: String) throws(Invalid) -> ForwardingDestination.Transport {
        let profile = o["profile"]?.stringValue ?? "generic"
        guard let u = o["url"]?.stringValue, let url = URL(string: u), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw Invalid("\(here): 'url' must be an http:// or https:// address")
        }
        let memOnly = ["appid", "appsecret_file", "enterprise_code", "sm4_key_file", "sm4_iv"]
        if profile != "mem", let k = memOnly.first(where: { o[$0] != nil }) {
            throw Invalid("\(here): '\(k)' belongs to the mem profile, and this destination's profile is '\(profile)'")
        }
        if profile == "mem", o["secret_file"] != nil {
            throw Invalid("\(here): the mem profile takes 'appsecret_file' and 'sm4_key_file', not 'secret_file'")
        }
        switch profile {
        case "generic":
            guard let secretFile = o["secret_file"]?.stringValue else {
                throw Invalid("\(here): 'secret_file' is required: the file holding the shared secret its messages are signed with")
            }
            let secret = Array(try secretText(secretFile, here).utf8)
            guard secret.count >= 16 else { throw Invalid("\(here): the secret in \(secretFile) is shorter than 16 characters") }
            return .http(url: url, profile: .generic(secret: secret))
        case "mem":
            return .http(url: url, profile: .mem(try mem(o, here)))
        default:
            throw Invalid("\(here): profile '\(profile)' is not known; 'generic' and 'mem' are (docs/forwarding.md)")
        }
    }

    /// The `mem` profile's members: `appid`, `appsecret_file`, `enterprise_code`, `gateway`,
    /// `sm4_key_file` (32 hex digits) and `sm4_iv` (32 hex digits; an IV is not a secret).
    private static func mem(_ o: [String: Value], _ here: String) throws(Invalid) -> MEMUpload {
        func code(_ name: String, _ what: String) throws(Invalid) -> String {
            guard let v = o[name]?.stringValue, !v.isEmpty, v.count <= 128 else {
                throw Invalid("\(here): '\(name)' (1 to 128 characters) is required by the mem profile: \(what)")
            }
            return v
        }
        let appID = try code("appid", "the app id the platform gave")
        let enterprise = try code("enterprise_code", "the enterprise's code on the platform")
        let gateway = try code("gateway", "the gateway's code on the platform")
        guard let secretFile = o["appsecret_file"]?.stringValue else {
            throw Invalid("\(here): 'appsecret_file' is required by the mem profile: the file holding the app secret the platform gave")
        }
        let appSecret = try secretText(secretFile, here)
        guard !appSecret.isEmpty else { throw Invalid("\(here): the app secret file \(secretFile) is empty") }
        guard let keyFile = o["sm4_key_file"]?.stringValue else {
            throw Invalid("\(here): 'sm4_key_file' is required by the mem profile: the file holding the SM4 key as 32 hex digits")
        }
        guard let key = MEMUpload.bytes(hex: try secretText(keyFile, here)), key.count == 16 else {
            throw Invalid("\(here): the SM4 key in \(keyFile) must be 32 hex digits (16 bytes)")
        }
        guard let ivText = o["sm4_iv"]?.stringValue, let iv = MEMUpload.bytes(hex: ivText), iv.count == 16 else {
            throw Invalid("\(here): 'sm4_iv' (32 hex digits, the IV the platform gave) is required by the mem profile")
        }
        do {
            return try MEMUpload(appID: appID, appSecret: appSecret, enterpriseCode: enterprise, gatewayCode: gateway, key: key, iv: iv)
        } catch {
            throw Invalid("\(here): \(error)")
        }
    }

    /// A `jtt809` destination: `host`, `port`, `user`, `password_file`, `access_code`, and
    /// optionally `m1`, `ia1`, `ic1` (all three: the link's bodies are encrypted), `plate_color`
    /// (default 2, yellow), `heartbeat_s` (default 60), `platform_id`.
    private static func jtt809(_ o: [String: Value], _ here: String) throws(Invalid) -> ForwardingDestination.Transport {
        func uint32(_ name: String, _ what: String, required: Bool = true) throws(Invalid) -> UInt32? {
            guard let v = o[name], !v.isNull else {
                if required { throw Invalid("\(here): '\(name)' is required for JT/T 809: \(what)") }
                return nil
            }
            guard let n = v.numberValue, n.isFinite, n >= 0, n <= Double(UInt32.max), n == n.rounded() else {
                throw Invalid("\(here): '\(name)' must be a whole number from 0 to 4294967295 (\(what))")
            }
            return UInt32(n)
        }
        guard let host = o["host"]?.stringValue, !host.isEmpty, host.count <= 255 else {
            throw Invalid("\(here): 'host' is required for JT/T 809: the upper platform's address")
        }
        guard let p = o["port"]?.numberValue, p.isFinite, p >= 1, p <= 65_535, p == p.rounded() else {
            throw Invalid("\(here): 'port' (1 to 65535) is required for JT/T 809")
        }
        let user = try uint32("user", "the user id the upper platform gave") ?? 0
        let access = try uint32("access_code", "the lower platform's access code (MSG_GNSSCENTERID)") ?? 0
        guard let passwordFile = o["password_file"]?.stringValue else {
            throw Invalid("\(here): 'password_file' is required for JT/T 809: the file holding the login password")
        }
        let password = try secretText(passwordFile, here)
        guard !password.isEmpty, password.utf8.count <= 8 else {
            throw Invalid("\(here): the password in \(passwordFile) must be 1 to 8 bytes (JT/T 809 carries 8)")
        }
        let m1 = try uint32("m1", "the encryption constant M1", required: false)
        let ia1 = try uint32("ia1", "the encryption constant IA1", required: false)
        let ic1 = try uint32("ic1", "the encryption constant IC1", required: false)
        guard (m1 == nil) == (ia1 == nil) && (ia1 == nil) == (ic1 == nil) else {
            throw Invalid("\(here): 'm1', 'ia1' and 'ic1' go together: all three (an encrypted link) or none")
        }
        var settings = JTT809Settings(host: host, port: Int(p), user: user, password: password, accessCode: access)
        (settings.m1, settings.ia1, settings.ic1) = (m1, ia1, ic1)
        if let c = o["plate_color"] {
            guard let n = c.numberValue, [1, 2, 3, 4, 5, 9].contains(n) else {
                throw Invalid("\(here): 'plate_color' must be 1 (blue), 2 (yellow), 3 (black), 4 (white), 5 (green) or 9 (other)")
            }
            settings.plateColor = UInt8(n)
        }
        if let h = o["heartbeat_s"] {
            guard let n = h.numberValue, n.isFinite, n >= 1, n <= 600 else { throw Invalid("\(here): 'heartbeat_s' must be seconds from 1 to 600") }
            settings.heartbeatS = n
        }
        if let id = o["platform_id"] {
            guard let s = id.stringValue, s.utf8.count <= 11 else { throw Invalid("\(here): 'platform_id' must be at most 11 characters") }
            settings.platformID = s
        }
        return .jtt809(settings)
    }

    /// A credential file's text without surrounding white space, at most 4 KiB.
    private static func secretText(_ file: String, _ here: String) throws(Invalid) -> String {
        let raw: [UInt8]
        do { raw = try BoundedFile.read(file, maxBytes: 4096) } catch {
            throw Invalid(error == .unreadable ? "\(here): cannot read the secret file \(file)" : "\(here): the secret file \(file) is larger than 4 KiB")
        }
        return String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The message types this version sends.
    public static let types = ["alarm.raised", "alarm.acknowledged", "alarm.cleared", "headcount.snapshot", "muster.status",
                               "vehicle.position", "vehicle.alarm"]

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        init(_ message: String) { self.message = message }
        public var description: String { "forwarding is misconfigured: \(message)" }
    }
}
