/// Licence plates as gate cameras and GNSS terminals spell them are not comparable as text:
/// full-width letters, spaces, separators and lower case all occur. Every comparison goes
/// through ``normalize(_:)``.
public enum PlateNumber {
    /// Half-width, upper case, without spaces, dots, hyphens or middle dots.
    public static func normalize(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        for s in raw.unicodeScalars {
            var v = s.value
            if v == 0x3000 { continue }  // ideographic space
            if v >= 0xFF01, v <= 0xFF5E { v -= 0xFEE0 }  // full-width ASCII
            guard let c = Unicode.Scalar(v) else { continue }
            switch c {
            case " ", "\t", "-", ".", "·", "•", "_": continue
            default: break
            }
            if c.value >= 0x61, c.value <= 0x7A, let up = Unicode.Scalar(c.value - 32) {
                out.append(up)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }
}
