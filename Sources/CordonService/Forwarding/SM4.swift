import COpenSSL

/// SM4 (GB/T 32907-2016) in CBC mode with PKCS#7 padding, from the system's OpenSSL: what the
/// `mem` forwarding profile encrypts a message's `data` with (docs/forwarding.md). A key and an
/// IV are 16 bytes each, as the platform gave them.
struct SM4 {
    /// Why SM4 could not be used; says what to do.
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// The key or IV is not 16 bytes.
        case badLength(what: String, bytes: Int)
        /// This OpenSSL has no SM4 (built without it, or its provider is not loaded).
        case unavailable
        /// OpenSSL refused the operation (a corrupt ciphertext or padding when decrypting).
        case openssl(String)

        var description: String {
            switch self {
            case .badLength(let what, let n): "the SM4 \(what) must be 16 bytes (32 hex digits), not \(n)"
            case .unavailable: "this system's OpenSSL has no SM4-CBC (OpenSSL 3 with its default provider has it: install libssl3/libssl-dev from Debian)"
            case .openssl(let why): "SM4: \(why)"
            }
        }
    }

    let key: [UInt8]
    let iv: [UInt8]

    init(key: [UInt8], iv: [UInt8]) throws(Failure) {
        guard key.count == 16 else { throw .badLength(what: "key", bytes: key.count) }
        guard iv.count == 16 else { throw .badLength(what: "IV", bytes: iv.count) }
        self.key = key
        self.iv = iv
        // Fail at start, with the reason, rather than at the first alarm.
        _ = try Self.cipher()
    }

    func encrypt(_ plaintext: [UInt8]) throws(Failure) -> [UInt8] { try run(plaintext, encrypting: true) }

    func decrypt(_ ciphertext: [UInt8]) throws(Failure) -> [UInt8] { try run(ciphertext, encrypting: false) }

    private static func cipher() throws(Failure) -> OpaquePointer {
        guard let c = EVP_sm4_cbc() else { throw .unavailable }
        return c
    }

    private func run(_ input: [UInt8], encrypting: Bool) throws(Failure) -> [UInt8] {
        let cipher = try Self.cipher()
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .openssl("no cipher context (out of memory)") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_CipherInit_ex(ctx, cipher, nil, key, iv, encrypting ? 1 : 0) == 1 else { throw .openssl(Self.lastError()) }
        // PKCS#7 padding is OpenSSL's default for block ciphers.
        var out = [UInt8](repeating: 0, count: input.count + 32)
        var written: Int32 = 0
        var tail: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            guard let base = o.baseAddress else { return false }
            guard EVP_CipherUpdate(ctx, base, &written, input, Int32(clamping: input.count)) == 1 else { return false }
            return EVP_CipherFinal_ex(ctx, base + Int(written), &tail) == 1
        }
        guard ok else { throw .openssl(encrypting ? Self.lastError() : "the ciphertext or its padding is not valid for this key and IV") }
        out.removeSubrange(Int(written + tail)...)
        return out
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "refused" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
