import CordonCore

/// Control replies (docs/protocol.md, "Control requests"): `{"ok":true,…}` or
/// `{"ok":false,"error":{"code":…,"message":…}}`, members sorted like all of ``JSONText``.
public enum ReplyEncoder {
    /// A success reply: `members` plus `"ok":true` (which wins over any `ok` in `members`).
    public static func ok(_ members: [String: Value]) -> [UInt8] {
        var all = members
        all["ok"] = .bool(true)
        return JSONText.encodeBytes(.object(all))
    }

    /// A failure reply with a stable machine-readable `code` and a `message` for a person.
    public static func error(code: String, message: String) -> [UInt8] {
        JSONText.encodeBytes(.object([
            "ok": .bool(false),
            "error": .object(["code": .string(code), "message": .string(message)]),
        ]))
    }
}
