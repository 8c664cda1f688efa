import CordonCore
import Foundation

@testable import CordonStore

/// A fresh directory under the system's temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("cordon-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// 2026-11-22T08:00:00Z, the morning of the examples in docs/protocol.md.
let morning = Instant(milliseconds: 1_795_334_400_000)

/// A restricted-zone violation of P0042 in the tank farm, as the engine would raise it.
func tankFarmIntrusion(id: String = "V-8f3a000000000001", at t: Instant = morning, person: String = "P0042") -> Violation {
    Violation(
        id: id, kind: .restrictedZone, state: .raised, severity: .critical, time: t,
        subject: .init(kind: "person", id: person, name: "王小明", tag: "T1001", enterprise: "E03"),
        zoneID: "Z-TANK-1", zoneName: "1号罐区",
        position: .init(x: 412.5, y: 188.0, level: 1, lon: 118.734_123_4, lat: 37.451_234_5),
        details: ["missing": ["hot-work"], "permit": nil, "distance_m": 3.25, "nested": ["a": [1, 2.5, "x"]]],
        scope: "Z-TANK-1")
}

/// The same condition cleared at `t`.
func cleared(_ v: Violation, at t: Instant) -> Violation {
    var c = v
    c.state = .cleared
    c.time = t
    return c
}

/// A stand-in for the published body (the store keeps whatever text it is given, byte for byte).
func body(of v: Violation) -> String {
    #"{"id":"\#(v.id)","kind":"\#(v.kind.rawValue)","state":"\#(v.state.rawValue)","t":\#(v.time.milliseconds),"subject":{"id":"\#(v.subject.id)","name":"\#(v.subject.name ?? "")"}}"#
}
