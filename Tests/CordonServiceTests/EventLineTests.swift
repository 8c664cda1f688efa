import CordonCore
import CordonService
import Foundation
import Testing

/// `cordon watch`'s one-line rendering: for every kind, the line says who, where and why.
@Suite("one readable line per event")
struct EventLineTests {
    static let person: Value = ["kind": "person", "id": "P0042", "name": "王伟", "tag": "T1042", "enterprise": "E01"]
    static let truck: Value = ["kind": "vehicle", "id": "鲁EA7307", "enterprise": "E03"]
    static let tank: Value = ["id": "Z-E01-TANK-1", "name": "Crude oil tank farm"]
    static let spot: Value = ["x": -462.4, "y": 245.8, "level": 0, "lon": 118.72, "lat": 37.452]

    static func violation(_ kind: String, raised: Bool = true, severity: String = "major", subject: Value = person,
                          zone: Value? = nil, details: Value = [:]) -> (String, Value) {
        var body: [String: Value] = [
            "id": "V-1", "site": "demo-park", "kind": .string(kind), "state": raised ? "raised" : "cleared",
            "severity": .string(severity), "t": "2026-11-23T00:01:05.250Z", "subject": subject, "position": spot,
            "details": details,
        ]
        if let zone { body["zone"] = zone }
        return ((raised ? "violation." : "cleared.") + kind, .object(body))
    }

    static func line(_ e: (String, Value)) -> String { EventLine.format(topic: e.0, body: e.1) }

    @Test("the time is the event's, in UTC and labelled so; or at the site's offset")
    func time() {
        let e = Self.violation("sos", severity: "critical")
        #expect(Self.line(e).hasPrefix("00:01:05.250Z  RAISED   critical  sos "))
        #expect(EventLine.format(topic: e.0, body: e.1, utcOffsetSeconds: 8 * 3600).hasPrefix("08:01:05.250+08:00  RAISED"))
    }

    @Test("restricted-zone: who, the zone by name and id, and the reason")
    func restrictedZone() {
        let l = Self.line(Self.violation("restricted-zone", zone: Self.tank, details: ["reason": "no qualification hot-work"]))
        #expect(l.contains("restricted-zone   person P0042 王伟 (E01)  in Crude oil tank farm [Z-E01-TANK-1]  — no qualification hot-work"))
    }

    @Test("a restricted-zone clear says what ended it: a walk out, or a permit while still inside")
    func restrictedZoneClear() {
        let out = Self.line(Self.violation("restricted-zone", raised: false, zone: Self.tank, details: ["reason": "no qualification hot-work"]))
        #expect(out.hasSuffix("— out of the zone"))
        let permitted = Self.line(Self.violation("restricted-zone", raised: false, zone: Self.tank,
                                                 details: ["reason": "no qualification hot-work", "ended": "work permit WP7"]))
        #expect(permitted.hasSuffix("— ended: work permit WP7"))
        #expect(!permitted.contains("out of the zone"))
    }

    @Test("overcrowding: the zone once, the count and the limit")
    func overcrowding() {
        let zone: Value = ["id": "Z-E01-CCR", "name": "Central control room"]
        let subject: Value = ["kind": "zone", "id": "Z-E01-CCR", "name": "Central control room", "enterprise": "E01"]
        let l = Self.line(Self.violation("overcrowding", subject: subject, zone: zone, details: ["count": 9, "max_people": 8]))
        #expect(l.hasSuffix("overcrowding      zone Central control room [Z-E01-CCR] (E01)  — 9 people (max 8)"))
        #expect(l.components(separatedBy: "Z-E01-CCR").count == 2)
    }

    @Test("understaffed: count and minimum")
    func understaffed() {
        let subject: Value = ["kind": "zone", "id": "Z-E01-CCR", "name": "Central control room"]
        #expect(Self.line(Self.violation("understaffed", subject: subject, zone: ["id": "Z-E01-CCR"], details: ["count": 1, "min_people": 2]))
            .hasSuffix("— 1 person (min 2)"))
    }

    @Test("positioning-degraded: why, and what to check; on the clear, the fixes of the window")
    func positioningDegraded() {
        let subject: Value = ["kind": "zone", "id": "Z-E02-WH-1", "name": "Raw material warehouse"]
        let raised = Self.line(Self.violation("positioning-degraded", subject: subject, zone: ["id": "Z-E02-WH-1"],
                                              details: ["reason": "180 of 180 fixes worse than 3 m", "fixes": 180, "poor_fixes": 180,
                                                        "required_accuracy_m": 3]))
        #expect(raised.hasSuffix("— 180 of 180 fixes worse than 3 m — check anchors, tags, obstructions"))
        let cleared = Self.line(Self.violation("positioning-degraded", raised: false, subject: subject, zone: ["id": "Z-E02-WH-1"],
                                               details: ["fixes": 180, "poor_fixes": 0, "required_accuracy_m": 3,
                                                         "ended": "fixes within the requirement again"]))
        #expect(cleared.contains("0 of 180 fixes worse than 3"), "\(cleared)")
        #expect(cleared.contains("ended: fixes within the requirement again"))
    }

    @Test("overstay: the limit and since when")
    func overstay() {
        let l = Self.line(Self.violation("overstay", subject: Self.truck, details: ["entered_at": "2026-11-23T00:00:00.000Z", "max_stay_min": 120, "booking": "B0001"]))
        #expect(l.hasSuffix("— longer than 120 min, in since 00:00:00, booking B0001"))
    }

    @Test("lone-worker: alone in a two-person zone, or the permit's guardian away")
    func loneWorker() {
        let alone = Self.line(Self.violation("lone-worker", zone: Self.tank, details: ["reason": "alone in a two-person zone"]))
        #expect(alone.hasSuffix("in Crude oil tank farm [Z-E01-TANK-1]  — alone in a two-person zone"))
        let permit = Self.line(Self.violation("lone-worker", zone: Self.tank, details: [
            "reason": "no guardian within reach", "permit": "WP7", "guardians": ["P0043"], "nearest_guardian_m": 48.26]))
        #expect(permit.hasSuffix("— no guardian within reach (permit WP7, guardian P0043, 48 m away)"))
    }

    @Test("crowding: how many, how close, how long")
    func crowding() {
        let subject: Value = ["kind": "zone", "id": "Z-E01-CDU", "name": "Crude distillation unit"]
        let l = Self.line(Self.violation("crowding", subject: subject, zone: ["id": "Z-E01-CDU", "name": "Crude distillation unit"],
                                         details: ["count": 6, "min_people": 5, "radius_m": 15, "duration_s": 60]))
        #expect(l.hasSuffix("zone Crude distillation unit [Z-E01-CDU]  — 6 people within 15 m for 60 s (crowd: 5)"))
    }

    @Test("man-down: still since when, where")
    func manDown() {
        let l = Self.line(Self.violation("man-down", severity: "critical", details: [
            "still_since": "2026-11-23T00:00:00.000Z", "man_down_after_s": 120, "cancel_window_s": 30]))
        #expect(l.hasSuffix("person P0042 王伟 (E01)  at -462, 246  — still since 00:00:00 (120 s + 30 s cancel window)"))
        #expect(Self.line(Self.violation("man-down", raised: false, severity: "critical", details: [:])).hasSuffix("— moving again"))
    }

    @Test("sos: the zones it came from; cleared by whom")
    func sos() {
        #expect(Self.line(Self.violation("sos", severity: "critical", details: ["tag": "T1042", "zones": ["Z-E01-CDU"]]))
            .hasSuffix("in Z-E01-CDU  — SOS pressed"))
        #expect(Self.line(Self.violation("sos", raised: false, severity: "critical", details: ["zones": ["Z-E01-CDU"], "acknowledged_by": "control room"]))
            .hasSuffix("— acknowledged by control room"))
    }

    @Test("fall: not cancelled in time")
    func fall() {
        #expect(Self.line(Self.violation("fall", severity: "critical", details: ["cancel_window_s": 30, "zones": []]))
            .hasSuffix("— fall not cancelled within 30 s"))
    }

    @Test("tamper: the tag")
    func tamper() {
        #expect(Self.line(Self.violation("tamper", details: ["tag": "T1042"])).hasSuffix("— tag T1042 tampered with"))
    }

    @Test("tag-offline: silent since when, the limit; cleared when heard again")
    func tagOffline() {
        #expect(Self.line(Self.violation("tag-offline", details: ["last_position_at": "2026-11-23T00:00:04.500Z", "offline_after_s": 60]))
            .hasSuffix("— silent since 00:00:04 (limit 60 s)"))
        #expect(Self.line(Self.violation("tag-offline", raised: false)).hasSuffix("— reporting again"))
    }

    @Test("low-battery: the level, the threshold, who carries the tag")
    func lowBattery() {
        let tag: Value = ["kind": "tag", "id": "T1042", "tag": "T1042"]
        #expect(Self.line(Self.violation("low-battery", severity: "minor", subject: tag, details: [
            "battery_pct": 9, "threshold_pct": 10, "carrier": "person:P0042", "carrier_name": "王伟"]))
            .hasSuffix("low-battery       tag T1042  — battery 9 % (threshold 10 %), carried by person P0042 王伟"))
    }

    @Test("untracked: the gate and the time allowed")
    func untracked() {
        #expect(Self.line(Self.violation("untracked", details: ["gate": "G3", "untracked_after_s": 300, "tag": "T1042"]))
            .hasSuffix("at G3  — entered at G3, no position for 300 s (tag T1042)"))
    }

    @Test("no-entry-record: positioned since when")
    func noEntryRecord() {
        #expect(Self.line(Self.violation("no-entry-record", details: ["first_seen": "2026-11-23T00:00:00.000Z", "grace_s": 120]))
            .hasSuffix("— positioned inside with no gate entry since 00:00:00"))
    }

    @Test("unknown-tag: the tag")
    func unknownTag() {
        let tag: Value = ["kind": "tag", "id": "T9001", "tag": "T9001"]
        #expect(Self.line(Self.violation("unknown-tag", severity: "minor", subject: tag, details: ["tag": "T9001"]))
            .hasSuffix("unknown-tag       tag T9001  — tag T9001 is not in the registry"))
    }

    @Test("access-denied: the gate and the reason codes")
    func accessDenied() {
        let reasons: Value = [["code": "induction-expired", "message": "…", "effect": "deny"], ["code": "blacklisted", "message": "…", "effect": "deny"]]
        #expect(Self.line(Self.violation("access-denied", details: ["gate": "G3", "direction": "in", "reasons": reasons]))
            .hasSuffix("person P0042 王伟 (E01)  at G3 in  — refused: induction-expired, blacklisted"))
    }

    @Test("tailgating: how many on one credential")
    func tailgating() {
        #expect(Self.line(Self.violation("tailgating", details: ["gate": "G3", "direction": "in", "count": 2, "followers": 1]))
            .hasSuffix("at G3 in  — 2 people on one credential"))
    }

    @Test("anti-passback: the finding and the gate's mode")
    func antiPassback() {
        #expect(Self.line(Self.violation("anti-passback", severity: "minor", details: ["gate": "G1", "direction": "in", "reason": "already-inside", "mode": "soft"]))
            .hasSuffix("at G1 in  — already-inside (soft)"))
    }

    @Test("route-deviation: the route and how far off it")
    func routeDeviation() {
        #expect(Self.line(Self.violation("route-deviation", subject: Self.truck, details: ["route": "R1", "distance_off_m": 23.46, "width_m": 30]))
            .hasSuffix("vehicle 鲁EA7307 (E03)  at -462, 246  — off route R1 by 23.5 m (corridor 30 m)"))
    }

    @Test("speeding: speed and limit; the top speed when it clears")
    func speeding() {
        #expect(Self.line(Self.violation("speeding", subject: Self.truck, details: ["speed_kmh": 45.24, "limit_kmh": 30]))
            .hasSuffix("— 45.2 km/h (limit 30)"))
        #expect(Self.line(Self.violation("speeding", raised: false, subject: Self.truck, details: ["speed_kmh": 24.8, "max_speed_kmh": 45.7, "limit_kmh": 30]))
            .hasSuffix("— down to 24.8 km/h, top 45.7 km/h (limit 30)"))
    }

    @Test("illegal-stop: since when and the limit; how long when it clears")
    func illegalStop() {
        #expect(Self.line(Self.violation("illegal-stop", severity: "minor", subject: Self.truck, details: [
            "stopped_since": "2026-11-23T00:00:05.000Z", "stop_after_s": 300, "destination": "E03"]))
            .hasSuffix("— stopped since 00:00:05 (limit 300 s outside a lot or E03)"))
        #expect(Self.line(Self.violation("illegal-stop", raised: false, severity: "minor", subject: Self.truck, details: ["duration_s": 364.9]))
            .hasSuffix("— moving again after 365 s"))
    }

    @Test("forbidden-area: inside or crossed")
    func forbiddenArea() {
        #expect(Self.line(Self.violation("forbidden-area", subject: Self.truck, zone: Self.tank, details: ["how": "inside", "vehicles": "forbidden"]))
            .hasSuffix("in Crude oil tank farm [Z-E01-TANK-1]  — inside (vehicles: forbidden)"))
    }

    @Test("late-arrival: the booking, its destination and deadline")
    func lateArrival() {
        #expect(Self.line(Self.violation("late-arrival", severity: "minor", subject: Self.truck, details: [
            "booking": "B0001", "destination": "E03", "deadline": "2026-11-23T00:45:00.000Z"]))
            .hasSuffix("— booking B0001 not at E03 by 00:45:00"))
    }

    @Test("parking-full: vehicles and capacity")
    func parkingFull() {
        let lot: Value = ["kind": "zone", "id": "P-HAZ", "name": "Hazmat truck waiting lot"]
        #expect(Self.line(Self.violation("parking-full", severity: "minor", subject: lot, details: ["count": 13, "capacity": 12]))
            .hasSuffix("zone Hazmat truck waiting lot [P-HAZ]  — 13 vehicles (capacity 12)"))
    }

    @Test("access decisions: gate and direction, who, reasons, count and booking")
    func access() {
        let granted: Value = ["gate": "G2", "direction": "in", "t": "2026-11-23T00:01:05.900Z", "decision": "granted", "reasons": [],
                              "subject": Self.truck, "booking": "B0001"]
        #expect(EventLine.format(topic: "access.G2", body: granted)
            == "00:01:05.900Z  access   granted   G2 in             vehicle 鲁EA7307 (E03)  — booking B0001")
        let tailgate: Value = ["gate": "G3", "direction": "in", "t": "2026-11-23T00:01:05.900Z", "decision": "granted",
                               "reasons": [["code": "tailgating", "effect": "warn", "message": "…"]], "subject": Self.person, "count": 2]
        #expect(EventLine.format(topic: "access.G3", body: tailgate).hasSuffix("person P0042 王伟 (E01)  — tailgating; 2 people counted"))
        let denied: Value = ["gate": "G3", "direction": "in", "t": "2026-11-23T00:01:05.900Z", "decision": "denied",
                             "reasons": [["code": "induction-expired", "effect": "deny", "message": "…"]], "subject": Self.person]
        #expect(EventLine.format(topic: "access.G3", body: denied).contains("access   DENIED    G3 in             person P0042 王伟 (E01)  — induction-expired"))
    }

    @Test("muster: started, accounted (at a point or by hand), progress, ended")
    func muster() {
        let t = "2026-11-23T00:05:00.000Z"
        #expect(EventLine.format(topic: "muster.started", body: ["t": .string(t), "mode": "drill", "by": "demo", "total": 143, "scope": []])
            == "00:05:00.000Z  muster   drill     started           — by demo: 143 people to account for")
        #expect(EventLine.format(topic: "muster.accounted", body: ["t": .string(t), "person": "P0042", "name": "王伟", "point": "M1",
                                                                   "accounted": 12, "total": 143, "late_entry": false])
            .hasSuffix("accounted         person P0042 王伟  at M1  — accounted 12/143"))
        #expect(EventLine.format(topic: "muster.accounted", body: ["t": .string(t), "person": "P0001", "marked_by": "shift supervisor",
                                                                   "note": "at post", "accounted": 13, "total": 143])
            .hasSuffix("person P0001  marked safe by shift supervisor (at post)  — accounted 13/143"))
        #expect(EventLine.format(topic: "muster.progress", body: ["t": .string(t), "mode": "drill", "total": 300, "accounted": 120,
                                                                  "missing": 180, "elapsed_s": 45.2, "late_entries": 0])
            .hasSuffix("progress          — accounted 120/300, missing 180, 45 s"))
        #expect(EventLine.format(topic: "muster.ended", body: ["t": .string(t), "mode": "drill", "ended_by": "demo", "total": 143,
                                                               "accounted": 143, "missing": 0, "time_to_90_s": 312.4, "time_to_100_s": 420])
            .hasSuffix("ended             — by demo: accounted 143/143, missing 0; 90 % in 312 s, 100 % in 420 s"))
    }
}
