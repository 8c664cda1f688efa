import CordonCore
import CordonWire
import Foundation
import Testing

@testable import CordonService

/// The `mem` profile (docs/forwarding.md): the envelope SM4-encrypted into `data` for a
/// provincial platform, decrypted there by an SM4 that is not OpenSSL's (gmssl, in Python).
@Suite("forwarding, mem profile: SM4-CBC from OpenSSL, read by an independent SM4", .serialized)
struct MEMForwardingTests {
    static let key = "0123456789abcdeffedcba9876543210"
    static let iv = "fedcba98765432100123456789abcdef"

    @Test("SM4 is the standard's: GB/T 32907-2016's example block, PKCS#7 padding, and a wrong key refused with a reason")
    func standardVector() throws {
        let block = try #require(MEMUpload.bytes(hex: Self.key))
        let sm4 = try SM4(key: block, iv: [UInt8](repeating: 0, count: 16))
        // CBC with a zero IV enciphers the first block exactly as the bare cipher does.
        let out = try sm4.encrypt(block)
        #expect(MEMUpload.hex(Array(out.prefix(16))) == "681edf34d206965e86b3e94f536e4246")
        #expect(out.count == 32, "a whole block of plaintext gets a whole block of padding")
        let text = Array("人员 P1000 进入限制区域".utf8)
        let iv = try #require(MEMUpload.bytes(hex: Self.iv))
        let cbc = try SM4(key: block, iv: iv)
        let sealed = try cbc.encrypt(text)
        #expect(sealed.count % 16 == 0 && sealed.count > text.count)
        #expect(try cbc.decrypt(sealed) == text)
        let other = try SM4(key: [UInt8](repeating: 7, count: 16), iv: iv)
        #expect(throws: SM4.Failure.self) { _ = try other.decrypt(sealed) }
        #expect(throws: SM4.Failure.badLength(what: "key", bytes: 15)) { _ = try SM4(key: [UInt8](repeating: 0, count: 15), iv: iv) }
    }

    @Test("a mem platform that is busy (code 500 in its answer) gets the alarm again, and then decrypts it to exactly the envelope")
    func uploadsThroughABusyPlatform() throws {
        let dir = ServiceHarness.temporaryDirectory()
        try Self.key.write(toFile: dir + "/sm4.key", atomically: true, encoding: .utf8)
        try "the-app-secret-of-E03\n".write(toFile: dir + "/app.secret", atomically: true, encoding: .utf8)
        let receiver = try Receiver(script: "mem_receiver.py",
                                    arguments: [dir + "/sm4.key", Self.iv, "cordon-E03", dir + "/app.secret"], log: dir + "/received.jsonl")
        defer { receiver.stop() }
        let destinations: Value = [[
            "id": "province", "kind": "http", "profile": "mem", "url": .string("http://127.0.0.1:\(receiver.port)/api/upload"),
            "appid": "cordon-E03", "appsecret_file": .string(dir + "/app.secret"), "enterprise_code": "91370500MA3C000000",
            "gateway": "GW-01", "sm4_key_file": .string(dir + "/sm4.key"), "sm4_iv": .string(Self.iv),
            "types": ["alarm.*"], "max_backoff_s": 1,
        ]]
        try JSONText.encode(destinations).write(toFile: dir + "/forwarding.json", atomically: true, encoding: .utf8)
        let h = try ServiceHarness(configure: { $0.forwardingFile = dir + "/forwarding.json" })
        defer { h.shutdown() }
        let events = try EventCollector(context: h.client, endpoint: h.service.boundEvents)
        defer { events.stop() }
        #expect(try h.request(ForwardingTests.crew)["ok"] == true)
        let t0 = nowMs()
        try h.send(#"{"type":"gate","gate":"G3","t":\#(t0 - 60_000),"direction":"in","person":"P1000"}"#)

        try receiver.set(mode: "busy")
        try h.send(#"{"type":"position","tag":"T5000","t":\#(nowMs()),"x":60,"y":250}"#)
        let raised = try #require(events.wait(for: "violation.restricted-zone", timeout: 5))
        var status = try h.request(["op": "forward.status"])
        let busyUntil = Date().addingTimeInterval(5)
        while status["destinations"]?.arrayValue?.first?["last_error"] == nil, Date() < busyUntil {
            Thread.sleep(forTimeInterval: 0.1)
            status = try h.request(["op": "forward.status"])
        }
        let province = status["destinations"]?.arrayValue?.first
        #expect(province?["backlog"] == 1, "\(status)")
        #expect(province?["last_error"]?.stringValue?.contains("code 500") == true, "\(status)")
        #expect(receiver.received().isEmpty)

        try receiver.set(mode: "ok")
        var lines: [Value] = []
        let deadline = Date().addingTimeInterval(10)
        while lines.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            lines = receiver.lines()
        }
        let line = try #require(lines.first)
        let msg = try #require(line["msg"])
        #expect(msg["type"] == "alarm.raised" && msg["v"] == 1 && msg["site"] == "scenario-park" && msg["gateway"] == "GW-01")
        #expect(msg["body"]?["id"] == raised.body["id"] && msg["body"]?["kind"] == "restricted-zone")
        #expect(msg["body"]?["content"]?.stringValue?.contains("闯入限制区域") == true)
        #expect(line["clear"]?["enterpriseCode"] == "91370500MA3C000000" && line["clear"]?["gatewayCode"] == "GW-01")
        #expect(line["clear"]?["msgId"] == msg["msg_id"] && line["clear"]?["dataType"] == "alarm.raised")
        var after = try h.request(["op": "forward.status"])
        let drained = Date().addingTimeInterval(5)
        while after["destinations"]?.arrayValue?.first?["backlog"] != 0, Date() < drained {
            Thread.sleep(forTimeInterval: 0.1)
            after = try h.request(["op": "forward.status"])
        }
        #expect(after["destinations"]?.arrayValue?.first?["backlog"] == 0, "\(after)")
    }

    @Test("a mem destination missing what the platform gave, or with a key that is not 16 bytes, stops serve with the member named",
          arguments: [
              ("appid", "'appid' (1 to 128 characters) is required by the mem profile"),
              ("sm4_iv", "'sm4_iv' (32 hex digits, the IV the platform gave) is required"),
              ("short key", "must be 32 hex digits (16 bytes)"),
              ("secret_file", "the mem profile takes 'appsecret_file' and 'sm4_key_file', not 'secret_file'"),
          ])
    func misconfigured(flaw: String, needle: String) throws {
        let dir = ServiceHarness.temporaryDirectory()
        try (flaw == "short key" ? "0123456789abcdef" : Self.key).write(toFile: dir + "/sm4.key", atomically: true, encoding: .utf8)
        try "the-app-secret".write(toFile: dir + "/app.secret", atomically: true, encoding: .utf8)
        var d: [String: Value] = [
            "id": "province", "kind": "http", "profile": "mem", "url": "http://127.0.0.1:9/api/upload", "appid": "cordon-E03",
            "appsecret_file": .string(dir + "/app.secret"), "enterprise_code": "E", "gateway": "GW-01",
            "sm4_key_file": .string(dir + "/sm4.key"), "sm4_iv": .string(Self.iv), "types": ["alarm.*"],
        ]
        switch flaw {
        case "appid": d["appid"] = nil
        case "sm4_iv": d["sm4_iv"] = nil
        case "secret_file": d["secret_file"] = .string(dir + "/app.secret")
        default: break
        }
        #expect { _ = try ForwardingConfig.load(site: .null, file: try Self.write([.object(d)], in: dir)) } throws: { "\($0)".contains(needle) }
    }

    static func write(_ list: Value, in dir: String) throws -> String {
        try JSONText.encode(list).write(toFile: dir + "/f.json", atomically: true, encoding: .utf8)
        return dir + "/f.json"
    }
}
