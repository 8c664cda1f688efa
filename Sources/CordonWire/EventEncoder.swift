import CordonCore

/// Turns an engine ``Output`` into the two frames of an events message (docs/protocol.md, "Published events").
public enum EventEncoder {
    /// The topic (`violation.restricted-zone`, `access.G2`, …) and the JSON body, which carries
    /// `site`.
    public static func encode(_ output: Output, site: String) -> (topic: String, body: [UInt8]) {
        switch output {
        case .violation(let v):
            var w = JSONWriter(capacity: 384)
            w.write(violation: v, site: site)
            return (v.topic, w.bytes)
        case .access(let d):
            return (d.topic, accessBody(d, site: site))
        case .muster:
            return (output.topic, JSONText.encodeBytes(output.body(site: site)))
        }
    }

    /// An access decision's published (and stored) body.
    public static func accessBody(_ d: AccessDecision, site: String) -> [UInt8] {
        var w = JSONWriter(capacity: 384)
        w.write(access: d, site: site)
        return w.bytes
    }
}
