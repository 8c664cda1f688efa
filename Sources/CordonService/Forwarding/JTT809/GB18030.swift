import Glibc

/// UTF-8 → GB 18030, the encoding JT/T 809 and 808 write plates and text in, through glibc's
/// iconv (GB 18030 encodes every Unicode character, so nothing is lost).
enum GB18030 {
    static func encode(_ text: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return Array(text.utf8) }
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 8)
        let produced = input.withUnsafeMutableBufferPointer { inBuf -> Int in
            output.withUnsafeMutableBufferPointer { outBuf -> Int in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return -1 }
                return outBuf.count - outLeft
            }
        }
        // Not representable (it always is) or a glibc without the table: the UTF-8 bytes.
        return produced < 0 ? Array(text.utf8) : Array(output.prefix(produced))
    }
}
