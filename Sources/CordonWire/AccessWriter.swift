import CordonCore

/// Writes an access decision's body (docs/protocol.md, "Published events") straight into the
/// buffer, member by member, instead of building a `Value` tree and sorting its members: every
/// gate passage is decided, published and stored through here.
///
/// The bytes are exactly those of `JSONWriter.write(decision.body(site:))`: members in the byte
/// order of their names, optional members left out. `AccessWriterTests` holds it to that.
extension JSONWriter {
    mutating func write(access d: AccessDecision, site: String) {
        literal("{")
        if let booking = d.booking {
            literal(#""booking":"#)
            write(string: booking)
            literal(",")
        }
        if let count = d.count {
            literal(#""count":"#)
            write(number: Double(count))
            literal(",")
        }
        literal(#""credential":{"#)
        switch d.credential {
        case .card(let c): literal(#""card":"#); write(string: c)
        case .person(let p): literal(#""person":"#); write(string: p)
        case .plate(let p): literal(#""plate":"#); write(string: p)
        }
        literal(#"},"decision":"#)
        write(string: d.word)
        literal(#","direction":"#)
        write(string: d.direction.rawValue)
        literal(#","gate":"#)
        write(string: d.gate)
        if let g = d.gateGranted {
            literal(g ? #","gate_granted":true"# : #","gate_granted":false"#)
        }
        literal(#","id":"#)
        write(string: d.id)
        if let color = d.plateColor {
            literal(#","plate_color":"#)
            write(string: color)
        }
        literal(#","reasons":["#)
        for (i, r) in d.reasons.enumerated() {
            literal(i == 0 ? #"{"code":"# : #",{"code":"#)
            write(string: r.code.rawValue)
            literal(#","effect":"#)
            write(string: r.effect.rawValue)
            literal(#","message":"#)
            write(string: r.message)
            literal("}")
        }
        literal(#"],"site":"#)
        write(string: site)
        literal(#","subject":"#)
        write(subject: d.subject)
        literal(#","t":"#)
        write(string: d.time.rfc3339)
        if let tag = d.tag {
            literal(#","tag":"#)
            write(string: tag)
        }
        literal("}")
    }
}
