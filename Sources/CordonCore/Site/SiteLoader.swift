import Foundation
import Geometry

/// Turns a parsed site file (docs/site-file.md) into a ``Site``: reads every kind and
/// property, validates geometry with GEOS, and refuses the file with all of its problems.
public enum SiteLoader {
    /// Loads a site from its parsed GeoJSON document.
    public static func load(_ document: Value) throws(SiteError) -> Site {
        var p = Problems()
        guard case .object(let root) = document else {
            throw SiteError(problems: [.init(feature: "document", message: "a site file is a GeoJSON FeatureCollection object")])
        }
        if root["type"]?.stringValue != "FeatureCollection" {
            p.add("document", "'type' must be \"FeatureCollection\"")
        }
        let cordon = root["cordon"]?.objectValue ?? [:]
        if root["cordon"] == nil { p.add("cordon", "the foreign member 'cordon' (site settings) is missing") }

        // Site-wide settings.
        var origin = LonLat(lon: 0, lat: 0)
        if let o = cordon["origin"]?.arrayValue, o.count == 2, let lon = o[0].numberValue, let lat = o[1].numberValue,
           (-180...180).contains(lon), (-90...90).contains(lat) {
            origin = LonLat(lon: lon, lat: lat)
        } else {
            p.add("cordon", "'origin' must be [longitude, latitude] in WGS84 degrees")
        }
        let frame = LocalFrame(origin: origin)
        var timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
        if let tzName = cordon["timezone"]?.stringValue {
            if let tz = TimeZone(identifier: tzName) { timeZone = tz } else { p.add("cordon", "unknown timezone '\(tzName)'") }
        }
        var settings = SiteSettings()
        if let defaults = cordon["defaults"] {
            if let d = defaults.objectValue {
                for (k, v) in d.sorted(by: { $0.key < $1.key }) {
                    if k == "required_accuracy_m" {
                        readRequiredAccuracy(v, into: &settings, problems: &p)
                        continue
                    }
                    guard SiteSettings.defaultNames.contains(k) else {
                        p.add("cordon", "unknown setting 'defaults.\(k)'")
                        continue
                    }
                    guard let n = v.numberValue.flatMap(Bounded.setting) else {
                        p.add("cordon", "'defaults.\(k)' must be a number from 0 to \(Bounded.describe(Bounded.maxSetting))")
                        continue
                    }
                    settings.set(k, n)
                }
            } else {
                p.add("cordon", "'defaults' must be an object")
            }
        }
        if let sl = cordon["speed_limit_kmh"] {
            if let n = sl.numberValue.flatMap(Bounded.setting), n > 0 { settings.speedLimitKmh = n } else { p.add("cordon", "'speed_limit_kmh' must be a number > 0 and at most \(Bounded.describe(Bounded.maxSetting))") }
        }
        if let sev = cordon["severity"] {
            if let o = sev.objectValue {
                for (k, v) in o.sorted(by: { $0.key < $1.key }) {
                    guard ViolationKind(rawValue: k) != nil else { p.add("cordon", "severity for unknown kind '\(k)'"); continue }
                    guard let s = v.stringValue.flatMap(Severity.init(rawValue:)) else {
                        p.add("cordon", "severity of '\(k)' must be critical, major or minor")
                        continue
                    }
                    settings.severity[k] = s
                }
            } else {
                p.add("cordon", "'severity' must be an object of kind → critical|major|minor")
            }
        }
        var frames: [String: FrameTransform] = [:]
        var frameAccuracy: [String: Double] = [:]
        if let fr = cordon["frames"] {
            if let o = fr.objectValue {
                for (name, f) in o.sorted(by: { $0.key < $1.key }) {
                    guard let off = f["offset_m"]?.arrayValue, off.count == 2, let dx = off[0].numberValue,
                          let dy = off[1].numberValue, dx.isFinite, dy.isFinite else {
                        p.add("cordon", "frame '\(name)': 'offset_m' must be [x, y] metres")
                        continue
                    }
                    let rot = f["rotation_deg"]?.numberValue ?? 0
                    guard rot.isFinite else { p.add("cordon", "frame '\(name)': 'rotation_deg' must be a number"); continue }
                    if let a = f["accuracy_m"], !a.isNull {
                        guard let n = a.numberValue, n.isFinite, n >= 0, n <= PositionReport.maxAccuracyM else {
                            p.add("cordon", "frame '\(name)': 'accuracy_m' must be a number of metres between 0 and \(Int(PositionReport.maxAccuracyM))")
                            continue
                        }
                        frameAccuracy[name] = n
                    }
                    frames[name] = FrameTransform(offset: LocalPoint(x: dx, y: dy), rotationDegrees: rot)
                }
            } else {
                p.add("cordon", "'frames' must be an object of name → {offset_m, rotation_deg}")
            }
        }
        var addresses: [String: String] = [:]
        if let a = cordon["addresses"]?.objectValue {
            for (k, v) in a { if let s = v.stringValue { addresses[k] = s } else { p.add("cordon", "address '\(k)' must be a string") } }
        }

        // Features.
        guard let features = root["features"]?.arrayValue else {
            p.add("document", "'features' must be an array")
            throw SiteError(problems: p.list)
        }
        var seen = Set<String>()
        var siteShape: Shape?
        var siteID = cordon["site"]?.stringValue
        var siteName: String?
        var zoneDrafts: [(id: String, props: [String: Value], shape: Shape)] = []
        var routes: [String: Route] = [:]
        var gates: [String: Gate] = [:]
        var parking: [String: ParkingLot] = [:]
        var musters: [String: MusterPoint] = [:]
        var enterprises: [String: Enterprise] = [:]

        for (i, feature) in features.enumerated() {
            let props = feature["properties"]?.objectValue ?? [:]
            let fid = props["id"]?.stringValue ?? "features[\(i)]"
            guard feature["type"]?.stringValue == "Feature" else { p.add(fid, "'type' must be \"Feature\""); continue }
            guard let kind = props["kind"]?.stringValue else { p.add(fid, "'properties.kind' is missing"); continue }
            if props["id"]?.stringValue == nil { p.add(fid, "'properties.id' (a string) is missing") }
            if seen.contains(fid) { p.add(fid, "duplicate id") }
            seen.insert(fid)
            guard let geometryValue = feature["geometry"], !geometryValue.isNull else { p.add(fid, "has no geometry"); continue }
            let geo: GeoJSONGeometry
            do {
                geo = try GeoJSONGeometry(json: geometryValue.foundationObject)
            } catch {
                p.add(fid, "\(error)")
                continue
            }
            let shape: Shape
            do {
                shape = try geo.shape(in: frame)
            } catch {
                p.add(fid, "\(error)")
                continue
            }
            if let problem = shape.validityProblem { p.add(fid, "invalid geometry: \(problem)"); continue }
            var f = FeatureReader(id: fid, props: props, problems: p)
            defer { p = f.problems }
            switch kind {
            case "site":
                guard [.polygon, .multiPolygon].contains(shape.kind) else { f.problem("a site must be a Polygon or MultiPolygon"); continue }
                if siteShape != nil { f.problem("a second 'site' feature; a file describes exactly one site") }
                siteShape = shape
                siteName = f.string("name")
                if siteID == nil { siteID = fid }
            case "zone":
                guard [.polygon, .multiPolygon].contains(shape.kind) else { f.problem("a zone must be a Polygon or MultiPolygon"); continue }
                zoneDrafts.append((fid, props, shape))
            case "route":
                guard shape.kind == .lineString else { f.problem("a route must be a LineString"); continue }
                let width = f.number("width_m", positive: true) ?? 20
                let corridor: Shape
                do { corridor = try shape.buffer(width / 2) } catch { f.problem("cannot build the corridor: \(error)"); continue }
                guard let preparedCorridor = f.prepare(corridor) else { continue }
                routes[fid] = Route(
                    id: fid, name: f.string("name"), widthM: width, speedLimitKmh: f.number("speed_limit_kmh", positive: true),
                    deviationAfterS: f.number("deviation_after_s") ?? 0, to: f.string("to"), line: shape,
                    corridor: preparedCorridor)
            case "gate":
                guard shape.kind == .point else { f.problem("a gate must be a Point"); continue }
                let cls = f.enumeration("class", Gate.Class.self) ?? .general
                let apb = f.enumeration("anti_passback", Gate.AntiPassback.self) ?? .off
                gates[fid] = Gate(id: fid, name: f.string("name"), gateClass: cls, antiPassback: apb,
                                  requires: f.strings("requires"), point: shape.centroid)
            case "parking":
                guard [.polygon, .multiPolygon].contains(shape.kind) else { f.problem("a parking lot must be a Polygon or MultiPolygon"); continue }
                guard let prepared = f.prepare(shape) else { continue }
                parking[fid] = ParkingLot(id: fid, name: f.string("name"), capacity: f.integer("capacity", min: 0), shape: prepared)
            case "muster":
                guard [.polygon, .multiPolygon].contains(shape.kind) else { f.problem("a muster point must be a Polygon or MultiPolygon"); continue }
                guard let prepared = f.prepare(shape) else { continue }
                musters[fid] = MusterPoint(id: fid, name: f.string("name"), shape: prepared)
            case "enterprise":
                guard [.polygon, .multiPolygon].contains(shape.kind) else { f.problem("an enterprise must be a Polygon or MultiPolygon"); continue }
                guard let prepared = f.prepare(shape) else { continue }
                enterprises[fid] = Enterprise(id: fid, name: f.string("name"), shape: prepared)
            default:
                f.problem("unknown kind '\(kind)' (site, zone, route, gate, parking, muster, enterprise)")
            }
        }
        guard let siteShape else {
            p.add("document", "there is no feature of kind 'site' (the fence)")
            throw SiteError(problems: p.list)
        }

        var zones: [Zone] = []
        for (id, props, shape) in zoneDrafts {
            var f = FeatureReader(id: id, props: props, problems: p)
            let maxPeople = f.integer("max_people", min: 1)
            let minPeople = f.integer("min_people", min: 1)
            if let lo = minPeople, let hi = maxPeople, lo > hi { f.problem("'min_people' \(lo) is above 'max_people' \(hi)") }
            var crowding: Zone.Crowding?
            if let c = props["crowding"] {
                if let o = c.objectValue {
                    let r = o["radius_m"]?.numberValue ?? settings.crowdingRadiusM
                    let n = o["min_people"]?.intValue ?? 5
                    let d = o["duration_s"]?.numberValue ?? 60
                    // A tiny radius would make the crowding grid's cell index overflow.
                    if !(r >= 0.5 && r <= 10_000) { f.problem("'crowding.radius_m' must be a number from 0.5 to 10000") }
                    if n < 2 { f.problem("'crowding.min_people' must be an integer ≥ 2") }
                    if Bounded.setting(d) == nil { f.problem("'crowding.duration_s' must be a number from 0 to \(Bounded.describe(Bounded.maxSetting))") }
                    crowding = Zone.Crowding(radiusM: r, minPeople: n, durationS: d)
                } else {
                    f.problem("'crowding' must be an object {radius_m, min_people, duration_s}")
                }
            }
            var staffed: Zone.StaffedHours?
            if let s = props["staffed"] {
                if let from = s["from"]?.stringValue.flatMap(clockMinutes), let until = s["until"]?.stringValue.flatMap(clockMinutes) {
                    staffed = Zone.StaffedHours(fromMinute: from, untilMinute: until)
                } else {
                    f.problem("'staffed' must be {\"from\":\"HH:MM\",\"until\":\"HH:MM\"}")
                }
            }
            let access = f.enumeration("access", Zone.Access.self) ?? .open
            let requires = f.strings("requires")
            let roles = f.strings("roles")
            if access == .permit && requires.isEmpty && roles.isEmpty {
                // Permit-only zone: nobody is allowed without a work permit. Valid, and said here so it is a choice.
            }
            var permitKinds: [WorkPermit.Kind] = []
            for k in f.strings("permit_kinds") {
                if let kind = WorkPermit.Kind(rawValue: k) {
                    permitKinds.append(kind)
                } else {
                    f.problem("unknown permit kind '\(k)' in 'permit_kinds' (" + WorkPermit.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
            }
            if isTwoPerson(props), let m = maxPeople, m < 2 { f.problem("a 'two_person' zone needs 'max_people' of at least 2") }
            let tolerance = f.number("exit_tolerance_m") ?? settings.exitToleranceM
            let ent = f.string("enterprise") ?? enterprises.values.sorted { $0.id < $1.id }.first {
                $0.shape.shape.contains(shape.centroid)
            }?.id
            if let e = f.string("enterprise"), enterprises[e] == nil { f.problem("'enterprise' '\(e)' is not an enterprise of the site") }
            let risk = f.enumeration("risk", Zone.Risk.self)
            var required = settings.requiredAccuracy(for: risk)
            if let r = f.number("required_accuracy_m", positive: true) {
                if r <= PositionReport.maxAccuracyM { required = r } else { f.problem("'required_accuracy_m' must be at most \(Int(PositionReport.maxAccuracyM)) m") }
            }
            let edge: PreparedShape?
            do { edge = try shape.boundary().prepared() } catch { f.problem("cannot take the zone's boundary: \(error)"); edge = nil }
            guard let prepared = f.prepare(shape) else { p = f.problems; continue }
            zones.append(Zone(
                index: zones.count, id: id, name: f.string("name"), risk: risk,
                level: f.integer("level", min: Int.min), access: access, requires: requires, roles: roles,
                maxPeople: maxPeople, minPeople: minPeople, staffed: staffed, maxStayMin: f.number("max_stay_min", positive: true),
                twoPerson: f.bool("two_person") ?? false, crowding: crowding,
                vehicles: f.enumeration("vehicles", Zone.VehicleAccess.self) ?? .allowed,
                speedLimitKmh: f.number("speed_limit_kmh", positive: true), enterDelayS: f.number("enter_delay_s") ?? 0,
                exitToleranceM: tolerance, requiredAccuracyM: required, edge: edge, permitKinds: permitKinds, enterprise: ent,
                shape: prepared))
            p = f.problems
        }
        for (id, r) in routes.sorted(by: { $0.key < $1.key }) {
            if let to = r.to, enterprises[to] == nil { p.add(id, "'to' '\(to)' is not an enterprise of the site") }
        }
        if !p.list.isEmpty { throw SiteError(problems: p.list) }

        do throws(GeometryError) {
            return try Site(
                id: siteID ?? "site", name: siteName, frame: frame, timeZone: timeZone, settings: settings, frames: frames,
                frameAccuracyM: frameAccuracy,
                boundary: try siteShape.prepared(), zones: zones, routes: routes, gates: gates, parking: parking,
                musterPoints: musters, enterprises: enterprises, addresses: addresses, document: document)
        } catch {
            throw SiteError(problems: [.init(feature: "document", message: "GEOS could not prepare the site's geometry: \(error)")])
        }
    }

    /// `defaults.required_accuracy_m`: an object of risk class → metres; classes not named keep
    /// their default.
    static func readRequiredAccuracy(_ v: Value, into settings: inout SiteSettings, problems p: inout Problems) {
        guard let o = v.objectValue else {
            p.add("cordon", "'defaults.required_accuracy_m' must be an object of risk class → metres, e.g. {\"red\":1,\"blue\":3}")
            return
        }
        for (k, n) in o.sorted(by: { $0.key < $1.key }) {
            guard let risk = Zone.Risk(rawValue: k) else {
                p.add("cordon", "'defaults.required_accuracy_m.\(k)': '\(k)' is not a risk class (red, orange, yellow, blue)")
                continue
            }
            guard let m = n.numberValue, m.isFinite, m > 0, m <= PositionReport.maxAccuracyM else {
                p.add("cordon", "'defaults.required_accuracy_m.\(k)' must be a number of metres > 0 and ≤ \(Int(PositionReport.maxAccuracyM))")
                continue
            }
            settings.requiredAccuracyM[risk] = m
        }
    }

    static func isTwoPerson(_ props: [String: Value]) -> Bool { props["two_person"]?.boolValue == true }

    /// `HH:MM` (00:00–24:00) as minutes after midnight.
    static func clockMinutes(_ s: String) -> Int? {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m),
              h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }
}

/// Collects problems in file order.
struct Problems {
    var list: [SiteError.Problem] = []
    mutating func add(_ feature: String, _ message: String) { list.append(.init(feature: feature, message: message)) }
}

/// Reads typed properties of one feature, recording a problem for each wrong one.
struct FeatureReader {
    let id: String
    let props: [String: Value]
    var problems: Problems

    mutating func problem(_ m: String) { problems.add(id, m) }

    /// The shape prepared for queries, or nil with the problem recorded when GEOS fails.
    mutating func prepare(_ shape: Shape) -> PreparedShape? {
        do { return try shape.prepared() } catch {
            problem("GEOS could not prepare the geometry: \(error)")
            return nil
        }
    }

    mutating func string(_ key: String) -> String? {
        guard let v = props[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { problem("'\(key)' must be a string"); return nil }
        return s
    }

    mutating func number(_ key: String, positive: Bool = false) -> Double? {
        guard let v = props[key], !v.isNull else { return nil }
        guard let n = v.numberValue.flatMap(Bounded.setting), positive ? n > 0 : n >= 0 else {
            problem("'\(key)' must be a number \(positive ? "> 0" : "≥ 0") and at most \(Bounded.describe(Bounded.maxSetting))")
            return nil
        }
        return n
    }

    mutating func integer(_ key: String, min: Int) -> Int? {
        guard let v = props[key], !v.isNull else { return nil }
        guard let n = v.intValue, n >= min, n <= Int(Bounded.maxSetting) else {
            problem(min == Int.min ? "'\(key)' must be an integer" : "'\(key)' must be an integer ≥ \(min)")
            return nil
        }
        return n
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = props[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { problem("'\(key)' must be true or false"); return nil }
        return b
    }

    mutating func strings(_ key: String) -> [String] {
        guard let v = props[key], !v.isNull else { return [] }
        guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            problem("'\(key)' must be an array of strings")
            return []
        }
        return a.compactMap(\.stringValue)
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) -> E? where E.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let e = E(rawValue: s) else {
            problem("'\(key)' '\(s)' is not one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return e
    }
}

extension Value {
    /// The Foundation form (`[String: Any]`, `[Any]`, `Double`, `String`, `Bool`, `NSNull`).
    public var foundationObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n
        case .string(let s): return s
        case .array(let a): return a.map(\.foundationObject)
        case .object(let o): return o.mapValues(\.foundationObject)
        }
    }
}
