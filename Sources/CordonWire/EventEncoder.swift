import CordonCore

/// Turns an engine ``Output`` into the two frames of an events message (PROTOCOL.md section 4).
public enum EventEncoder {
    /// The topic (`violation.restricted-zone`, `access.G2`, …) and the JSON body, which carries
    /// `site`.
    public static func encode(_ output: Output, site: String) -> (topic: String, body: [UInt8]) {
        (output.topic, JSONText.encodeBytes(output.body(site: site)))
    }
}
