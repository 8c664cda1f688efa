import CordonCore
import CordonWire
import Foundation

/// Subject rows of the live-state journal, encoded by hand: one is encoded on the engine thread
/// for every lasting change (a zone entered, a stillness begun), and Foundation's coder costs
/// several times more (measured with `make bench`: a tenth of the engine thread). They are
/// decoded with `JSONDecoder` at a restart only, so the keys are the Codable ones of
/// ``EngineSnapshot/Subject``.
extension SnapshotCodec {
    static func row(_ s: EngineSnapshot.Subject, vehicles: JSONEncoder) throws -> Data {
        var o = "{"
        o.reserveCapacity(256)
        func key(_ k: String) { o += "\"" + k + "\":" }
        func text(_ k: String, _ v: String?) {
            guard let v else { return }
            key(k)
            o += JSONText.encode(.string(v))
            o += ","
        }
        func number(_ k: String, _ v: Double?) {
            guard let v, v.isFinite else { return }
            key(k)
            o += v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
            o += ","
        }
        func integer(_ k: String, _ v: Int64?) {
            guard let v else { return }
            key(k)
            o += String(v)
            o += ","
        }
        func stays(_ k: String, _ list: [EngineSnapshot.Stay]?) {
            guard let list else { return }
            key(k)
            o += "["
            for (i, st) in list.enumerated() {
                if i > 0 { o += "," }
                o += "{\"level\":\(st.level),\"since\":\(st.since.milliseconds),\"zone\":" + JSONText.encode(.string(st.zone)) + "}"
            }
            o += "],"
        }
        text("kind", s.kind)
        text("id", s.id)
        integer("lastTime", s.lastTime.milliseconds)
        integer("lastPositionTime", s.lastPositionTime?.milliseconds)
        number("x", s.x.isFinite ? s.x : 0)
        number("y", s.y.isFinite ? s.y : 0)
        integer("level", Int64(s.level))
        text("tag", s.tag)
        stays("stays", s.stays)
        integer("stillSince", s.stillSince?.milliseconds)
        number("battery", s.battery)
        stays("pending", s.pending)
        integer("pendingFall", s.pendingFall?.milliseconds)
        if s.lowBattery == true { o += "\"lowBattery\":true," }
        if let v = s.vehicle {
            key("vehicle")
            o += String(decoding: try vehicles.encode(v), as: UTF8.self)
            o += ","
        }
        o.removeLast()
        o += "}"
        return Data(o.utf8)
    }
}
