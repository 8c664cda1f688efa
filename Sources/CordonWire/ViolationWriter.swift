import CordonCore

/// Writes a violation's body (docs/protocol.md, "Published events") straight into the buffer, member by member,
/// instead of building a `Value` tree and sorting its members: every raise and clear goes
/// through here, on the path of its latency.
///
/// The bytes are exactly those of `JSONWriter.write(violation.body(site:))`: members in the byte
/// order of their names, optional members left out, numbers rounded as `Violation.body` rounds
/// them. The digest test and `ViolationWriterTests` hold it to that.
extension JSONWriter {
    mutating func write(violation v: Violation, site: String) {
        literal(#"{"details":"#)
        write(.object(v.details))
        literal(#","id":"#)
        write(string: v.id)
        literal(#","kind":"#)
        write(string: v.kind.rawValue)
        if let p = v.position {
            literal(#","position":{"lat":"#)
            write(number: p.lat.rounded(toPlaces: 7))
            literal(#","level":"#)
            write(number: Double(p.level))
            literal(#","lon":"#)
            write(number: p.lon.rounded(toPlaces: 7))
            literal(#","x":"#)
            write(number: p.x.rounded(toPlaces: 2))
            literal(#","y":"#)
            write(number: p.y.rounded(toPlaces: 2))
            literal("}")
        }
        literal(#","severity":"#)
        write(string: v.severity.rawValue)
        literal(#","site":"#)
        write(string: site)
        literal(#","state":"#)
        write(string: v.state.rawValue)
        literal(#","subject":"#)
        write(subject: v.subject)
        literal(#","t":"#)
        write(string: v.time.rfc3339)
        if let zone = v.zoneID {
            literal(#","zone":{"id":"#)
            write(string: zone)
            if let name = v.zoneName {
                literal(#","name":"#)
                write(string: name)
            }
            literal("}")
        }
        literal("}")
    }

    /// `{"enterprise","id","kind","name","tag"}`, the members present, in that (byte) order:
    /// who a violation or an access decision is about.
    mutating func write(subject s: Violation.Subject) {
        literal("{")
        var first = true
        func member(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            if !first { literal(",") }
            first = false
            write(string: name.description)
            literal(":")
            write(string: value)
        }
        member("enterprise", s.enterprise)
        member("id", s.id)
        member("kind", s.kind)
        member("name", s.name)
        member("tag", s.tag)
        literal("}")
    }
}
