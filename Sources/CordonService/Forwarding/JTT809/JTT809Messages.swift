import CordonCore

/// The JT/T 809-2019 messages Cordon sends an upper platform and the answers it reads
/// (docs/forwarding.md, "JT/T 809"): the main link's login and heartbeat, a hazardous-chemicals
/// vehicle's real-time location (0x1200/0x1202 carrying JT/T 808's 0x0200 location body), and
/// its alarms (0x1400/0x1402).
enum JTT809Messages {
    static let loginRequest: UInt16 = 0x1001
    static let loginResponse: UInt16 = 0x1002
    static let heartbeat: UInt16 = 0x1005
    static let heartbeatResponse: UInt16 = 0x1006
    static let vehicleExchange: UInt16 = 0x1200
    static let realLocation: UInt16 = 0x1202
    static let warning: UInt16 = 0x1400
    static let warningReport: UInt16 = 0x1402

    /// 0x1001: user id, password (8 bytes), the access code, the down link's address and port.
    static func login(user: UInt32, password: String, accessCode: UInt32, downLinkIP: String, downLinkPort: UInt16) -> [UInt8] {
        var w = ByteBuffer809()
        w.u32(user)
        w.fixed(Array(password.utf8), 8)
        w.u32(accessCode)
        w.fixed(Array(downLinkIP.utf8), 32)
        w.u16(downLinkPort)
        return w.data
    }

    /// What 0x1002's result byte means (0 is success).
    static func loginResult(_ code: UInt8) -> String {
        switch code {
        case 0: "success"
        case 1: "the IP address is not registered"
        case 2: "the access code is wrong"
        case 3: "the user is not registered"
        case 4: "the password is wrong"
        case 5: "the upper platform is busy, try later"
        default: "refused (result \(code))"
        }
    }

    /// A vehicle's position for 0x1202.
    struct Location {
        var plate: String
        /// 1 blue, 2 yellow (dangerous-goods trucks), 3 black, 4 white, 9 other.
        var plateColor: UInt8
        var lat: Double
        var lon: Double
        var speedKmh: Double
        var headingDeg: Double?
        /// Event time, milliseconds since the epoch.
        var time: Int64
        var altitudeM: Double = 0
    }

    /// 0x1200 with 0x1202: plate, colour, then the 2019 body: not encrypted, the 0x0200 body,
    /// and no platform alarm references.
    static func location(_ l: Location) -> [UInt8] {
        let gnss = location0200(l)
        var data = ByteBuffer809()
        data.u8(0)
        data.u32(UInt32(gnss.count))
        data.bytes(gnss)
        for _ in 0..<3 {
            data.fixed([], 11)
            data.u32(0)
        }
        var w = ByteBuffer809()
        w.fixed(GB18030.encode(l.plate), 21)
        w.u8(l.plateColor)
        w.u16(realLocation)
        w.u32(UInt32(data.data.count))
        w.bytes(data.data)
        return w.data
    }

    /// JT/T 808's 0x0200 location body: alarm flags, status (bit 1 located, bit 2 south, bit 3
    /// west), latitude and longitude in millionths of a degree, altitude in metres, speed in
    /// tenths of km/h, direction 0–359 from north, and the time in BCD as YYMMDDhhmmss in
    /// Beijing time (GMT+8), as 808 gives it.
    static func location0200(_ l: Location) -> [UInt8] {
        var w = ByteBuffer809()
        w.u32(0)
        var status: UInt32 = 1 << 1
        if l.lat < 0 { status |= 1 << 2 }
        if l.lon < 0 { status |= 1 << 3 }
        w.u32(status)
        w.u32(micro(abs(l.lat)))
        w.u32(micro(abs(l.lon)))
        w.u16(bounded16(l.altitudeM))
        w.u16(bounded16(l.speedKmh * 10))
        w.u16(UInt16(((l.headingDeg ?? 0).rounded().truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)))
        w.bytes(bcdTime(l.time))
        return w.data
    }

    /// How Cordon's alarm kinds map to JT/T 809's WarnType; kinds without an entry are not sent.
    static func warnType(kind: String, raised: Bool) -> UInt16? {
        switch (kind, raised) {
        case ("speeding", true): 0x0001
        case ("forbidden-area", true): 0x0004  // into a designated area
        case ("forbidden-area", false): 0x0005  // out of it
        case ("route-deviation", true): 0x000B
        case ("illegal-stop", true): 0xA001  // overtime parking
        default: nil
        }
    }

    /// An alarm for 0x1402.
    struct Warning {
        var warnType: UInt16
        var plate: String
        var plateColor: UInt8
        /// Milliseconds since the epoch.
        var time: Int64
        var started: Int64
        var ended: Int64?
        /// The lower platform's id (11 bytes) and the upper's, as the agreement names them.
        var sourcePlatform: String
        var destinationPlatform: String
        var content: String
    }

    /// 0x1400 with 0x1402 (2019): source platform, warn type, warn/start/end times (UTC
    /// seconds), plate and colour, destination platform, line id, then the text in GB 18030.
    static func warning(_ a: Warning) -> [UInt8] {
        let text = GB18030.encode(a.content)
        var data = ByteBuffer809()
        data.fixed(Array(a.sourcePlatform.utf8), 11)
        data.u16(a.warnType)
        data.u64(seconds(a.time))
        data.u64(seconds(a.started))
        data.u64(a.ended.map(seconds) ?? 0)
        data.fixed(GB18030.encode(a.plate), 21)
        data.u8(a.plateColor)
        data.fixed(Array(a.destinationPlatform.utf8), 11)
        data.u32(0)
        data.u32(UInt32(text.count))
        data.bytes(text)
        var w = ByteBuffer809()
        w.u16(warningReport)
        w.u32(UInt32(data.data.count))
        w.bytes(data.data)
        return w.data
    }

    static func seconds(_ ms: Int64) -> UInt64 { UInt64(max(0, ms / 1000)) }

    private static func micro(_ degrees: Double) -> UInt32 {
        let v = (degrees * 1_000_000).rounded()
        return v.isFinite && v >= 0 && v <= Double(UInt32.max) ? UInt32(v) : 0
    }

    private static func bounded16(_ v: Double) -> UInt16 {
        let r = v.rounded()
        return r.isFinite ? UInt16(max(0, min(Double(UInt16.max), r))) : 0
    }

    /// YYMMDDhhmmss in BCD, Beijing time.
    static func bcdTime(_ ms: Int64) -> [UInt8] {
        let s = max(0, ms / 1000) + 8 * 3600
        let (y, m, d) = RFC3339.civilFromDays(Int(s / 86_400))
        let r = Int(s % 86_400)
        return [y % 100, m, d, r / 3600, r / 60 % 60, r % 60].map { UInt8(($0 / 10) << 4 | ($0 % 10)) }
    }
}
