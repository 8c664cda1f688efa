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
                                     "names", "give_up_h", "max_backoff_s", "park", "gateway", "endpoint", "snapshot_s"]

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
        case "zmq":
            guard let e = o["endpoint"]?.stringValue, e.hasPrefix("tcp://") || e.hasPrefix("ipc://") else {
                throw Invalid("\(here): 'endpoint' must be a tcp:// or ipc:// address to PUSH to")
            }
            transport = .zmq(endpoint: e)
        default:
            throw Invalid("\(here): kind '\(kind)' is not available in this version; 'http' and 'zmq' are (docs/forwarding.md)")
        }
        guard let types = o["types"]?.arrayValue?.compactMap(\.stringValue), !types.isEmpty else {
            throw Invalid("\(here): 'types' must list the message types it takes, such as [\"alarm.*\"]")
        }
        for t in types where !Self.types.contains(where: { ForwardingDestination.matches(t, $0) }) {
            throw Invalid("\(here): no message type matches '\(t)' (\(Self.types.joined(separator: ", ")))")
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
        var maxBackoffS = 300.0
        if let b = o["max_backoff_s"] {
            guard let n = b.numberValue, n.isFinite, n >= 1, n <= 3600 else { throw Invalid("\(here): 'max_backoff_s' must be seconds from 1 to 3600") }
            maxBackoffS = n
        }
        return ForwardingDestination(
            id: id, transport: transport, types: types, kinds: kinds, zones: try set("zones"),
            enterprises: try set("enterprises"), names: o["names"]?.boolValue ?? false, giveUpS: giveUpS, maxBackoffS: maxBackoffS, snapshotS: snapshotS,
            park: o["park"]?.stringValue, gateway: o["gateway"]?.stringValue)
    }

    private static func http(_ o: [String: Value], _ here: String) throws(Invalid) -> ForwardingDestination.Transport {
        let profile = o["profile"]?.stringValue ?? "generic"
        guard profile == "generic" else {
            throw Invalid("\(here): profile '\(profile)' is not available in this version; 'generic' is (docs/forwarding.md)")
        }
        guard let u = o["url"]?.stringValue, let url = URL(string: u), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw Invalid("\(here): 'url' must be an http:// or https:// address")
        }
        guard let secretFile = o["secret_file"]?.stringValue else {
            throw Invalid("\(here): 'secret_file' is required: the file holding the shared secret its messages are signed with")
        }
        let raw: [UInt8]
        do { raw = try BoundedFile.read(secretFile, maxBytes: 4096) } catch {
            throw Invalid(error == .unreadable ? "\(here): cannot read the secret file \(secretFile)" : "\(here): the secret file \(secretFile) is larger than 4 KiB")
        }
        let secret = Array(String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard secret.count >= 16 else { throw Invalid("\(here): the secret in \(secretFile) is shorter than 16 characters") }
        return .http(url: url, secret: secret)
    }

    /// The message types this version sends.
    public static let types = ["alarm.raised", "alarm.acknowledged", "alarm.cleared", "headcount.snapshot", "muster.status"]

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        init(_ message: String) { self.message = message }
        public var description: String { "forwarding is misconfigured: \(message)" }
    }
}
