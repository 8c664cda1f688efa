import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// CURVE key helpers. Keys are Z85 text (40 characters) throughout, the form libzmq and
/// config files use.
public enum ZMQCurve {
    /// Generates a fresh CURVE key pair.
    ///
    /// - Throws: `ZMQError` (ENOTSUP) if libzmq was built without CURVE.
    public static func keyPair() throws -> (publicKey: String, secretKey: String) {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
            throw ZMQError.last("generate CURVE key pair")
        }
        return (string(publicKey), string(secretKey))
    }

    /// Derives the Z85 public key that belongs to a Z85 secret key, so only the secret
    /// needs to be stored.
    public static func publicKey(forSecretKey secretKey: String) throws -> String {
        guard secretKey.utf8.count == 40 else {
            throw ZMQError(code: EINVAL, operation: "derive CURVE public key: Z85 key must be 40 characters")
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secretKey) == 0 else {
            throw ZMQError.last("derive CURVE public key")
        }
        return string(publicKey)
    }

    /// Decodes a 40-character Z85 key into its 32 raw bytes; nil if it is not valid Z85.
    public static func decode(z85 key: String) -> [UInt8]? {
        guard key.utf8.count == 40, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var raw = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&raw, key) != nil else { return nil }
        // zmq_z85_decode accepts some out-of-alphabet characters; round-tripping catches them.
        guard encode(raw) == key else { return nil }
        return raw
    }

    /// Encodes 32 raw key bytes as Z85; nil if `raw` is not 32 bytes long.
    public static func encode(_ raw: [UInt8]) -> String? {
        guard raw.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&text, raw, raw.count) != nil else { return nil }
        return string(text)
    }

    private static func string(_ cString: [CChar]) -> String {
        let bytes = cString.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
