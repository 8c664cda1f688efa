import CordonCore
import Geometry

/// The site file's features with every coordinate in site metres (x east, y north of the
/// origin, the tangent plane the engine computes in), for the console's `CRS.Simple` map: the
/// browser draws exactly the geometry the rules use, with no projection code of its own.
enum SitePlan {
    /// `site.get`'s document → `{"site":…, "origin":[lon,lat], "features":[…]}` in metres.
    static func local(from document: Value) -> Value? {
        guard let origin = document["cordon"]?["origin"]?.arrayValue, origin.count >= 2,
              let lon = origin[0].numberValue, let lat = origin[1].numberValue,
              let features = document["features"]?.arrayValue else { return nil }
        let frame = LocalFrame(origin: LonLat(lon: lon, lat: lat))
        let converted: [Value] = features.map { f in
            guard case .object(var o) = f, case .object(var g)? = o["geometry"], let c = g["coordinates"] else { return f }
            g["coordinates"] = convert(c, frame)
            o["geometry"] = .object(g)
            return .object(o)
        }
        return [
            "site": document["cordon"]?["site"] ?? .null, "origin": [.number(lon), .number(lat)],
            "timezone": document["cordon"]?["timezone"] ?? .null, "features": .array(converted),
        ]
    }

    private static func convert(_ v: Value, _ frame: LocalFrame) -> Value {
        guard let a = v.arrayValue else { return v }
        if a.count >= 2, let lon = a[0].numberValue, let lat = a[1].numberValue {
            let p = frame.toLocal(LonLat(lon: lon, lat: lat))
            return [.number(p.x.rounded(toPlaces: 2)), .number(p.y.rounded(toPlaces: 2))]
        }
        return .array(a.map { convert($0, frame) })
    }
}
