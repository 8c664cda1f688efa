/// Registry records in their protocol shape (docs/protocol.md, "Control requests"), read from and written to
/// ``Value`` trees. Every problem names the record and the field, so an operator can fix the
/// input.
public enum RegistryRecords {
    /// Reads a person record.
    public static func person(_ v: Value) throws(RequestError) -> Person {
        guard case .object(let o) = v else { throw .invalid("a person record must be an object") }
        guard let id = o["id"]?.stringValue, !id.isEmpty else { throw .invalid("a person record needs a non-empty string 'id'") }
        let ctx = "person \(id)"
        var quals: [Qualification] = []
        if let q = o["qualifications"], !q.isNull {
            guard let arr = q.arrayValue else { throw .invalid("\(ctx): 'qualifications' must be an array") }
            for (i, item) in arr.enumerated() {
                if let name = item.stringValue {
                    quals.append(Qualification(name: name))
                    continue
                }
                guard let name = item["name"]?.stringValue, !name.isEmpty else {
                    throw .invalid("\(ctx): qualifications[\(i)] needs a string 'name'")
                }
                let expires = try expiry(item["expires"], "\(ctx): qualifications[\(i)].expires")
                quals.append(Qualification(name: name, expires: expires))
            }
        }
        return Person(
            id: id,
            name: try string(o["name"], "\(ctx): name"),
            role: try string(o["role"], "\(ctx): role"),
            enterprise: try string(o["enterprise"], "\(ctx): enterprise"),
            tag: try string(o["tag"], "\(ctx): tag"),
            card: try string(o["card"], "\(ctx): card"),
            contractor: try bool(o["contractor"], "\(ctx): contractor") ?? false,
            inductionUntil: try expiry(o["induction_until"], "\(ctx): induction_until"),
            blacklisted: try bool(o["blacklisted"], "\(ctx): blacklisted") ?? false,
            qualifications: quals)
    }

    /// Reads a vehicle record.
    public static func vehicle(_ v: Value) throws(RequestError) -> Vehicle {
        guard case .object(let o) = v else { throw .invalid("a vehicle record must be an object") }
        guard let raw = o["plate"]?.stringValue, !PlateNumber.normalize(raw).isEmpty else {
            throw .invalid("a vehicle record needs a non-empty string 'plate'")
        }
        // Normalised before any comparison; a plate that is not one is refused, not guessed at.
        let plate: String
        switch PlateNumber.parse(raw) {
        case .success(let p): plate = p.text
        case .failure(let e): throw .invalid("vehicle \(raw): \(e)")
        }
        let ctx = "vehicle \(plate)"
        let kindText = try string(o["kind"], "\(ctx): kind") ?? "general"
        guard let kind = Vehicle.Kind(rawValue: kindText) else {
            throw .invalid("\(ctx): kind '\(kindText)' is not one of hazmat, general, staff")
        }
        return Vehicle(
            plate: plate, kind: kind,
            enterprise: try string(o["enterprise"], "\(ctx): enterprise"),
            tag: try string(o["tag"], "\(ctx): tag"),
            blacklisted: try bool(o["blacklisted"], "\(ctx): blacklisted") ?? false)
    }

    /// Reads a reference tag record: `{"id","tag","x","y","level"}`, a surveyed point in the
    /// site's local metres.
    public static func reference(_ v: Value) throws(RequestError) -> ReferenceTag {
        guard case .object(let o) = v else { throw .invalid("a reference record must be an object") }
        guard let id = o["id"]?.stringValue, !id.isEmpty else { throw .invalid("a reference record needs a non-empty string 'id'") }
        let ctx = "reference \(id)"
        guard let tag = o["tag"]?.stringValue, !tag.isEmpty else { throw .invalid("\(ctx): needs a non-empty string 'tag'") }
        func coordinate(_ k: String) throws(RequestError) -> Double {
            guard let n = o[k]?.numberValue, n.isFinite, abs(n) <= ReferenceTag.maxCoordinateM else {
                throw .invalid("\(ctx): '\(k)' must be the surveyed \(k) in the site's local metres (a finite number within ±\(Int(ReferenceTag.maxCoordinateM)))")
            }
            return n
        }
        let x = try coordinate("x")
        let y = try coordinate("y")
        var level = 0
        if let l = o["level"], !l.isNull {
            guard let n = l.intValue, abs(n) <= 10_000 else { throw .invalid("\(ctx): 'level' must be an integer floor") }
            level = n
        }
        return ReferenceTag(id: id, tag: tag, x: x, y: y, level: level)
    }

    /// The protocol shape of a reference tag.
    public static func value(_ r: ReferenceTag) -> Value {
        ["id": .string(r.id), "tag": .string(r.tag), "x": .number(r.x), "y": .number(r.y), "level": .int(r.level)]
    }

    /// The protocol shape of a person.
    public static func value(_ p: Person) -> Value {
        .compact([
            "id": .string(p.id), "name": .optional(p.name), "role": .optional(p.role),
            "enterprise": .optional(p.enterprise), "tag": .optional(p.tag), "card": .optional(p.card),
            "contractor": .bool(p.contractor), "blacklisted": .bool(p.blacklisted),
            "induction_until": .optional(p.inductionUntil?.text),
            "qualifications": .array(p.qualifications.map {
                .compact(["name": .string($0.name), "expires": .optional($0.expires?.text)])
            }),
        ])
    }

    /// The protocol shape of a vehicle.
    public static func value(_ v: Vehicle) -> Value {
        .compact([
            "plate": .string(v.plate), "kind": .string(v.kind.rawValue), "enterprise": .optional(v.enterprise),
            "tag": .optional(v.tag), "blacklisted": .bool(v.blacklisted),
        ])
    }

    /// An optional string member: nil when absent or null, refused when of another type.
    public static func string(_ v: Value?, _ what: String) throws(RequestError) -> String? {
        guard let v, !v.isNull else { return nil }
        guard let s = v.stringValue else { throw .invalid("\(what) must be a string") }
        return s
    }

    /// An optional true/false member: nil when absent or null, refused when of another type.
    public static func bool(_ v: Value?, _ what: String) throws(RequestError) -> Bool? {
        guard let v, !v.isNull else { return nil }
        guard let b = v.boolValue else { throw .invalid("\(what) must be true or false") }
        return b
    }

    static func expiry(_ v: Value?, _ what: String) throws(RequestError) -> Expiry? {
        guard let text = try string(v, what) else { return nil }
        guard let e = Expiry(text: text) else { throw .invalid("\(what) '\(text)' is neither YYYY-MM-DD nor an RFC 3339 instant") }
        return e
    }
}
