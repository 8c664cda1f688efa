import CordonCore
import Foundation

/// The oracle of the differential test: docs/protocol.md, "Ingest messages" written out the plain way, on the
/// objects `JSONSerialization` returns. It shares no code with the decoder; it states the same
/// rules in the same order (non-finite, type, t, then the type's fields; presence, then JSON
/// type, then value; `null` is absent), so that even the reason codes can be compared.
enum ReferenceValidator {
    /// What one element of a frame should turn into.
    enum Verdict: Equatable {
        case accepted(IngestMessage)
        case rejected(code: String)
    }

    static let maxMilliseconds = 253_402_300_799_999.0

    /// The verdicts of a frame JSONSerialization has read.
    static func verdicts(_ json: Any) -> [Verdict] {
        if let batch = json as? [Any] {
            return batch.map { element in
                guard let object = element as? [String: Any] else { return .rejected(code: "wrong-type") }
                return verdict(object)
            }
        }
        guard let object = json as? [String: Any] else { return [.rejected(code: "wrong-type")] }
        return [verdict(object)]
    }

    static func verdict(_ object: [String: Any]) -> Verdict {
        do {
            return .accepted(try message(object))
        } catch {
            return .rejected(code: error.code)
        }
    }

    struct Refusal: Error {
        var code: String
    }

    // MARK: JSON kinds as JSONSerialization gives them

    /// JSONSerialization's booleans are NSNumbers too; only their objCType tells them apart.
    static func isBool(_ v: Any) -> Bool {
        guard let n = v as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    static func bool(_ v: Any) -> Bool? {
        isBool(v) ? (v as? NSNumber)?.boolValue : nil
    }

    /// A number's value. Long numbers come as NSDecimalNumber, whose `doubleValue` is not
    /// correctly rounded; its text is exact (up to 38 digits), so read that instead.
    static func number(_ v: Any) -> Double? {
        guard !isBool(v), let n = v as? NSNumber else { return nil }
        if n is NSDecimalNumber { return Double(n.description) }
        return n.doubleValue
    }

    // MARK: The rules

    static func message(_ o: [String: Any]) throws(Refusal) -> IngestMessage {
        func get(_ key: String) -> Any? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            return v
        }
        func required(_ key: String) throws(Refusal) -> Any {
            guard let v = get(key) else { throw Refusal(code: "missing-field") }
            return v
        }
        func string(_ key: String) throws(Refusal) -> String? {
            guard let v = get(key) else { return nil }
            guard let s = v as? String else { throw Refusal(code: "wrong-type") }
            return s
        }
        func id(_ key: String) throws(Refusal) -> String? {
            guard let s = try string(key) else { return nil }
            if s.isEmpty { throw Refusal(code: "invalid-value") }
            return s
        }
        func requiredID(_ key: String) throws(Refusal) -> String {
            guard let s = try id(key) else { throw Refusal(code: "missing-field") }
            return s
        }
        func num(_ key: String) throws(Refusal) -> Double? {
            guard let v = get(key) else { return nil }
            guard let n = number(v) else { throw Refusal(code: "wrong-type") }
            return n
        }
        func requiredNum(_ key: String) throws(Refusal) -> Double {
            guard let n = try num(key) else { throw Refusal(code: "missing-field") }
            return n
        }
        func integer(_ key: String, _ range: ClosedRange<Double>) throws(Refusal) -> Int? {
            guard let n = try num(key) else { return nil }
            guard n.rounded(.towardZero) == n, range.contains(n) else { throw Refusal(code: "invalid-value") }
            return Int(n)
        }
        func flag(_ key: String) throws(Refusal) -> Bool? {
            guard let v = get(key) else { return nil }
            guard let b = bool(v) else { throw Refusal(code: "wrong-type") }
            return b
        }
        func check(_ ok: Bool) throws(Refusal) {
            if !ok { throw Refusal(code: "invalid-value") }
        }

        guard let type = try string("type") else { throw Refusal(code: "missing-field") }
        guard ["position", "alert", "gate"].contains(type) else { throw Refusal(code: "unknown-type") }

        let t: Instant
        let tv = try required("t")
        if let s = tv as? String {
            guard let i = RFC3339.parse(s) else { throw Refusal(code: "invalid-value") }
            t = i
        } else if let n = number(tv) {
            try check(n >= 0 && n <= maxMilliseconds && n.rounded(.towardZero) == n)
            t = Instant(milliseconds: Int64(n))
        } else {
            throw Refusal(code: "wrong-type")
        }

        switch type {
        case "position":
            let tag = get("tag") != nil, plate = get("plate") != nil
            if tag && plate { throw Refusal(code: "invalid-value") }
            if !tag && !plate { throw Refusal(code: "missing-field") }
            let source: SourceID = tag ? .tag(try requiredID("tag")) : .plate(try requiredID("plate"))
            let local = get("x") != nil || get("y") != nil
            let geo = get("lon") != nil || get("lat") != nil
            if local && geo { throw Refusal(code: "invalid-value") }
            if !local && !geo { throw Refusal(code: "missing-field") }
            let place: Place
            if local {
                let x = try requiredNum("x"), y = try requiredNum("y")
                place = .local(x: x, y: y, frame: try id("frame"))
            } else {
                let lon = try requiredNum("lon")
                try check(lon >= -180 && lon <= 180)
                let lat = try requiredNum("lat")
                try check(lat >= -90 && lat <= 90)
                place = .wgs84(lon: lon, lat: lat)
            }
            let level = try integer("level", Double(Int32.min)...Double(Int32.max)) ?? 0
            let accuracy = try num("accuracy_m")
            try check((accuracy ?? 0) >= 0 && (accuracy ?? 0) <= 1000)
            let speed = try num("speed_kmh")
            try check((speed ?? 0) >= 0 && (speed ?? 0) <= 1000)
            let heading = try num("heading_deg")
            let battery = try num("battery_pct")
            try check((0...100).contains(battery ?? 0))
            let moving = try flag("moving")
            return .position(PositionReport(
                source: source, time: t, place: place, level: level, accuracyM: accuracy, speedKmh: speed,
                headingDeg: heading, batteryPct: battery, moving: moving
            ))
        case "alert":
            let tag = try requiredID("tag")
            guard let kind = try string("alert") else { throw Refusal(code: "missing-field") }
            guard let k = TagAlert.Kind(rawValue: kind) else { throw Refusal(code: "invalid-value") }
            return .alert(TagAlert(tag: tag, time: t, kind: k))
        default:
            let gate = try requiredID("gate")
            guard let d = try string("direction") else { throw Refusal(code: "missing-field") }
            guard let direction = GatePassage.Direction(rawValue: d) else { throw Refusal(code: "invalid-value") }
            let given = ["person", "card", "plate"].filter { get($0) != nil }
            if given.isEmpty { throw Refusal(code: "missing-field") }
            if given.count > 1 { throw Refusal(code: "invalid-value") }
            let credential: GatePassage.Credential
            switch given[0] {
            case "person": credential = .person(try requiredID("person"))
            case "card": credential = .card(try requiredID("card"))
            default: credential = .plate(try requiredID("plate"))
            }
            return .gate(GatePassage(
                gate: gate, time: t, direction: direction, credential: credential, tag: try id("tag"),
                count: try integer("count", 1...Double(Int32.max)), plateColor: try string("plate_color"),
                granted: try flag("granted")
            ))
        }
    }
}
