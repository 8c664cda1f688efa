import CordonCore
import Foundation
import Testing

@testable import CordonService

/// JT/T 809 framing (docs/forwarding.md, "JT/T 809"): the header, CRC, escapes and the XOR
/// obfuscation checked against frames published for the standard, and 2019 bodies against the
/// standard's layout.
@Suite("JT/T 809 frames: published golden frames, escapes, CRC, the XOR stream, 2019 bodies")
struct JTT809FrameTests {
    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02X", $0) }.joined() }
    static func bytes(_ h: String) -> [UInt8] {
        let s = Array(h.replacingOccurrences(of: " ", with: "").utf8)
        return stride(from: 0, to: s.count, by: 2).map { UInt8(String(decoding: s[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
    }

    /// A login (0x1001) of user 20180920, password "20180920", down link 127.0.0.1:809, as
    /// published with the JT809 library for .NET (SmallChi/JT809, its package tests); the
    /// 2011 header, which is the 2019 one without its time field.
    static let login = JTT809Messages.login(user: 20_180_920, password: "20180920", accessCode: 0, downLinkIP: "127.0.0.1", downLinkPort: 809)
    static var login2011: [UInt8] {
        // 2011's 0x1001 has no access code: drop the four bytes after the password.
        Array(login[0..<12] + login[16...])
    }

    @Test("a 2011 login frame is byte for byte the published one, in clear and encrypted (M1 30000000, IA1 = IC1 = 20000000, key 256178)")
    func goldenLogin() throws {
        let clear = JTT809Frame(messageID: 0x1001, serial: 133, accessCode: 20_180_920, encryptKey: 9999, body: Self.login2011)
        #expect(Self.hex(clear.encoded(version: .v2011, cipher: nil))
            == "5B000000480000008510010133EFB8010000000000270F0133EFB832303138303932303132372E302E302E31000000000000000000000000000000000000000000000003296A915D")
        let cipher = JTT809Frame.Cipher(m1: 30_000_000, ia1: 20_000_000, ic1: 20_000_000)
        let sealed = JTT809Frame(messageID: 0x1001, serial: 133, accessCode: 20_180_920, encryptKey: 256_178, encrypted: true, body: Self.login2011)
        let wire = sealed.encoded(version: .v2011, cipher: cipher)
        #expect(Self.hex(wire)
            == "5B000000480000008510010133EFB8010000010003E8B2D37D9CC4900C77DC78F8676527D8AE12243CFB64CC2FBA619AEFAD33ACCB3256F67BFF19DF33097841098665703FE36E5D")
        // And back: the CRC holds, the body decrypts to the login.
        let back = try JTT809Frame.decode(escaped: wire.dropFirst().dropLast(), version: .v2011, cipher: cipher)
        #expect(back.body == Self.login2011 && back.serial == 133 && back.encrypted)
        // The XOR stream alone, as published: 01…07 with key 256178.
        #expect(Self.hex(cipher.apply([1, 2, 3, 4, 5, 6, 7], key: 256_178)) == "D34C7078A73A41")
    }

    @Test("0x5B, 0x5A, 0x5D and 0x5E inside a frame are escaped, and a frame with a flipped bit is refused by its CRC")
    func escapesAndCRC() throws {
        let body: [UInt8] = [0x5B, 0x5A, 0x5D, 0x5E, 0x00, 0x5B]
        let f = JTT809Frame(messageID: 0x1005, serial: 0x5B5D, accessCode: 0x5A5E, body: body)
        let wire = f.encoded(version: .v2019, cipher: nil)
        let inner = wire.dropFirst().dropLast()
        #expect(wire.first == 0x5B && wire.last == 0x5D && !inner.contains(0x5B) && !inner.contains(0x5D))
        #expect(Self.hex(Array(inner)).contains("5A015A025E015E02005A01"))
        let back = try JTT809Frame.decode(escaped: inner, version: .v2019, cipher: nil)
        #expect(back == f)
        var damaged = Array(inner)
        damaged[8] ^= 0x04
        #expect(throws: JTT809Frame.Failure.badCRC) { _ = try JTT809Frame.decode(escaped: damaged[...], version: .v2019, cipher: nil) }
        #expect(throws: JTT809Frame.Failure.badEscape) { _ = try JTT809Frame.decode(escaped: [0x00, 0x5A, 0x07][...], version: .v2019, cipher: nil) }
    }

    @Test("a 2019 real-time location: plate in GB 18030, yellow, 0x1202 with the 808 0x0200 body (millionths of a degree, tenths of km/h, BCD Beijing time)")
    func location() throws {
        // 2026-12-07 13:40:05 UTC is 21:40:05 in Beijing.
        let l = JTT809Messages.Location(plate: "鲁E12345", plateColor: 2, lat: 37.451234, lon: 118.734567, speedKmh: 36.5,
                                        headingDeg: 329, time: 1_796_650_805_000)
        let b = JTT809Messages.location(l)
        #expect(Self.hex(Array(b[0..<8])) == "C2B3453132333435" && b[8..<21].allSatisfy { $0 == 0 }, "the plate padded to 21 bytes")
        #expect(Array(b[0..<2]) == [0xC2, 0xB3], "鲁 in GB 18030")
        #expect(b[21] == 2 && Self.hex(Array(b[22..<24])) == "1202")
        let gnss = JTT809Messages.location0200(l)
        #expect(Self.hex(gnss) == "00000000" + "00000002" + "023B75E2" + "0713BEE7" + "0000" + "016D" + "0149" + "261207214005")
        #expect(b.count == 21 + 1 + 2 + 4 + 1 + 4 + gnss.count + 3 * 15)
    }

    @Test("a 2019 alarm report: WarnType from Cordon's kind, times in UTC seconds, the text in GB 18030")
    func warning() {
        #expect(JTT809Messages.warnType(kind: "route-deviation", raised: true) == 0x000B)
        #expect(JTT809Messages.warnType(kind: "forbidden-area", raised: true) == 0x0004)
        #expect(JTT809Messages.warnType(kind: "forbidden-area", raised: false) == 0x0005)
        #expect(JTT809Messages.warnType(kind: "illegal-stop", raised: true) == 0xA001)
        #expect(JTT809Messages.warnType(kind: "speeding", raised: true) == 0x0001)
        #expect(JTT809Messages.warnType(kind: "access-denied", raised: true) == nil)
        let w = JTT809Messages.warning(.init(warnType: 0x000B, plate: "鲁E12345", plateColor: 2, time: 1_796_650_805_000, started: 1_796_650_800_000,
                                            ended: nil, sourcePlatform: "12345678901", destinationPlatform: "", content: "偏离路线"))
        #expect(Self.hex(Array(w[0..<2])) == "1402")
        let data = Array(w[6...])
        #expect(Self.hex(Array(data[11..<13])) == "000B")
        #expect(Self.hex(Array(data[13..<21])) == String(format: "%016llX", 1_796_650_805))
        #expect(Array(data.suffix(8)) == [0xC6, 0xAB, 0xC0, 0xEB, 0xC2, 0xB7, 0xCF, 0xDF], "偏离路线 in GB 18030")
    }
}
