/// `booking.create` requests read into a ``Booking`` and checked against the site, with every
/// problem found reported at once (docs/protocol.md, "Control requests").
public enum BookingRecords {
    /// Reads and validates a booking request. `now` is the engine clock: a window that has
    /// already closed is refused.
    static func booking(_ r: Value, id: String, site: Site, now: Instant) throws(RequestError) -> Booking {
        var problems: [String] = []
        func text(_ key: String, required: Bool) -> String? {
            guard let v = r[key], !v.isNull else {
                if required { problems.append("'\(key)' is required") }
                return nil
            }
            guard let s = v.stringValue, !s.isEmpty else { problems.append("'\(key)' must be a non-empty string"); return nil }
            return s
        }

        var plate = ""
        if let raw = text("plate", required: true) {
            switch PlateNumber.parse(raw) {
            case .success(let p): plate = p.text
            case .failure(let e): problems.append("\(e)")
            }
        }

        var cargo: Cargo?
        if let c = r["cargo"], !c.isNull {
            if case .object = c {
                let un = Self.code(c["un"])
                let cls = Self.code(c["class"])
                let canonicalUN = un.flatMap(Cargo.unNumber)
                let canonicalClass = cls.flatMap(Cargo.hazardClass)
                if un == nil { problems.append("'cargo.un' (the UN number, e.g. \"1203\") is required") }
                else if canonicalUN == nil { problems.append("'cargo.un' '\(un ?? "")' is not a UN number (four digits, e.g. \"1203\" or \"UN1203\")") }
                if cls == nil { problems.append("'cargo.class' (the hazard class 1–9, e.g. \"3\" or \"2.3\") is required") }
                else if canonicalClass == nil {
                    problems.append("'cargo.class' '\(cls ?? "")' is not a hazard class (1–9, divisions 1.1–1.6, 2.1–2.3, 4.1–4.3, 5.1–5.2, 6.1–6.2)")
                }
                var name: String?
                if let n = c["name"], !n.isNull {
                    if let s = n.stringValue { name = s } else { problems.append("'cargo.name' must be a string") }
                }
                if let u = canonicalUN, let k = canonicalClass { cargo = Cargo(un: u, hazardClass: k, name: name) }
            } else {
                problems.append("'cargo' must be an object {\"un\":…,\"class\":…}")
            }
        }
        let hazmat = r["cargo"].map { !$0.isNull } ?? false

        let gateID = text("gate", required: true)
        if let g = gateID {
            if let gate = site.gates[g] {
                switch gate.gateClass {
                case .staff: problems.append("gate \(g) is a staff gate: vehicles do not pass it")
                case .emergency: problems.append("gate \(g) is an emergency gate: closed to ordinary entry")
                case .general where hazmat:
                    problems.append("gate \(g) is a general gate; hazmat trucks enter at a hazmat gate (\(Self.gates(of: .hazmat, in: site)))")
                case .hazmat where !hazmat:
                    problems.append("gate \(g) is a hazmat gate; a booking without 'cargo' is for a general gate (\(Self.gates(of: .general, in: site)))")
                default: break
                }
            } else {
                problems.append("gate '\(g)' is not a gate of site \(site.id) (gates: \(site.gates.keys.sorted().joined(separator: ", ")))")
            }
        }
        let route = text("route", required: hazmat)
        if let route, site.routes[route] == nil {
            problems.append("route '\(route)' is not a route of site \(site.id) (routes: \(site.routes.keys.sorted().joined(separator: ", ")))")
        }
        let destination = text("destination", required: hazmat)
        if let d = destination, site.enterprises[d] == nil, site.zone(d) == nil, site.parking[d] == nil {
            problems.append("destination '\(d)' is no enterprise, zone or parking lot of site \(site.id)")
        }

        var window: Booking.Window?
        if let w = r["window"], !w.isNull {
            let from = Self.instant(w["from"], "window.from", &problems)
            let until = Self.instant(w["until"], "window.until", &problems)
            if let from, let until {
                if until <= from {
                    problems.append("the window ends (\(until.rfc3339)) before it starts (\(from.rfc3339))")
                } else if until < now {
                    problems.append("the window closed at \(until.rfc3339), before now (\(now.rfc3339))")
                } else {
                    window = Booking.Window(from: from, until: until)
                }
            }
        } else {
            problems.append("'window' {\"from\":…,\"until\":…} is required")
        }

        var maxStay: Double?
        if let m = r["max_stay_min"], !m.isNull {
            if let n = m.numberValue, n.isFinite, n > 0 { maxStay = n } else { problems.append("'max_stay_min' must be a number of minutes > 0") }
        }
        let waybill = text("waybill", required: false)

        guard problems.isEmpty, let gateID, let window else {
            throw RequestError(code: "invalid-booking", message: "booking refused: " + problems.joined(separator: "; "))
        }
        return Booking(id: id, plate: plate, gate: gateID, route: route, destination: destination, window: window,
                       maxStayMin: maxStay, cargo: cargo, waybill: waybill, createdAt: now)
    }

    /// A string, or a number written as digits (`3`, `2.3`, `1203`).
    static func code(_ v: Value?) -> String? {
        guard let v, !v.isNull else { return nil }
        if let s = v.stringValue { return s }
        if let i = v.intValue { return String(i) }
        if let n = v.numberValue, n.isFinite { return String(n) }
        return "\(v)"
    }

    /// An RFC 3339 string or integer milliseconds since the epoch, as in ingest messages.
    static func instant(_ v: Value?, _ what: String, _ problems: inout [String]) -> Instant? {
        guard let v, !v.isNull else { problems.append("'\(what)' is required"); return nil }
        if let t = Bounded.instant(v) { return t }
        problems.append("'\(what)' must be an RFC 3339 time with a zone or whole milliseconds since the epoch up to year 9999")
        return nil
    }

    static func gates(of cls: Gate.Class, in site: Site) -> String {
        let ids = site.gates.values.filter { $0.gateClass == cls }.map(\.id).sorted()
        return ids.isEmpty ? "none in this site" : ids.joined(separator: ", ")
    }
}
