import CordonCore
import CordonWire

/// The `mem` HTTP profile (docs/forwarding.md): the upload several provinces' hazardous-chemicals
/// monitoring platforms take, in the style of the Ministry of Emergency Management's data access
/// rules. The platform gives each enterprise an `appid` and `appsecret`, an SM4 key and IV, and
/// codes for the enterprise and its gateway; the codes go in clear, the envelope of
/// docs/forwarding.md goes encrypted in `data` (SM4-CBC, PKCS#7 padding, lowercase hex). The platform
/// says it took a message with `"code": 200` in its answer.
public struct MEMUpload: Sendable, Equatable {
    public var appID: String
    public var appSecret: String
    public var enterpriseCode: String
    public var gatewayCode: String
    let cipher: SM4

    public static func == (a: MEMUpload, b: MEMUpload) -> Bool {
        a.appID == b.appID && a.appSecret == b.appSecret && a.enterpriseCode == b.enterpriseCode
            && a.gatewayCode == b.gatewayCode && a.cipher.key == b.cipher.key && a.cipher.iv == b.cipher.iv
    }

    init(appID: String, appSecret: String, enterpriseCode: String, gatewayCode: String, key: [UInt8], iv: [UInt8]) throws(SM4.Failure) {
        self.appID = appID
        self.appSecret = appSecret
        self.enterpriseCode = enterpriseCode
        self.gatewayCode = gatewayCode
        cipher = try SM4(key: key, iv: iv)
    }

    /// The request body for one message: `{"appid","appsecret","enterpriseCode","gatewayCode",
    /// "dataType","msgId","data"}`, `data` the hex of the encrypted envelope.
    func body(envelope: [UInt8], type: String, msgID: String) throws(SM4.Failure) -> [UInt8] {
        let data = try cipher.encrypt(envelope)
        let request: Value = [
            "appid": .string(appID), "appsecret": .string(appSecret),
            "enterpriseCode": .string(enterpriseCode), "gatewayCode": .string(gatewayCode),
            "dataType": .string(type), "msgId": .string(msgID), "data": .string(Self.hex(data)),
        ]
        return Array(JSONText.encode(request).utf8)
    }

    /// What a 2xx answer says: taken only when its JSON has `code` 200 (a number or a string);
    /// anything else is the platform refusing for now, with its message, and is tried again.
    static func taken(answer: [UInt8]) -> (taken: Bool, why: String) {
        guard let o = (try? JSONText.parse(answer))?.objectValue else {
            return (false, "the platform's answer is not a JSON object: \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        let code = o["code"]?.numberValue ?? o["code"]?.stringValue.flatMap { Double($0) }
        let message = o["msg"]?.stringValue ?? o["message"]?.stringValue ?? ""
        guard let code else { return (false, "the platform's answer has no code: \(String(decoding: answer.prefix(200), as: UTF8.self))") }
        // Shown as a whole number when it is one of a sane size; an outside number is never
        // turned into an integer unbounded.
        let shown = code.isFinite && abs(code) < 1e9 && code == code.rounded() ? String(Int(code)) : String(code)
        return code == 200 ? (true, "") : (false, "the platform answered code \(shown): \(message.prefix(200))")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// 32 hex digits → 16 bytes; nil for anything else.
    static func bytes(hex: String) -> [UInt8]? {
        let s = Array(hex.utf8)
        guard s.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            guard let h = nibble(s[i]), let l = nibble(s[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}
