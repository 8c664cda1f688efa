/// Seeded, deterministic ingest frames for the differential test: messages of every type with
/// randomized member order, whitespace, escapes, unicode identifiers, number spellings and
/// optional fields, then broken on purpose, at the level of the message (a member dropped,
/// doubled, nulled or given a value of another type) and at the level of the bytes (one
/// deleted, inserted, replaced, a cut, a swap).
struct MessageGenerator {
    var rng: SeededRandom

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
    }

    /// A JSON value as the generator builds it, before it is spelled out as text.
    indirect enum Node {
        case string(String)
        /// The exact text of a number (the spelling is part of what is tested).
        case number(String)
        case bool(Bool)
        case null
        case array([Node])
        case object([(String, Node)])
    }

    // MARK: Frames

    /// One frame: usually one message, sometimes a batch; broken now and then.
    mutating func frame() -> [UInt8] {
        var text: [UInt8]
        if rng.chance(0.15) {
            var elements: [Node] = []
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                elements.append(rng.chance(0.05) ? value(depth: 2) : .object(message()))
            }
            text = spell(.array(elements))
        } else {
            text = spell(.object(message()))
        }
        if rng.chance(0.1) { text = pad() + text + pad() }
        if rng.chance(0.35) { mutateBytes(&text) }
        return text
    }

    /// The members of one message, perhaps with a fault.
    mutating func message() -> [(String, Node)] {
        var members: [(String, Node)]
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<60: members = position()
        case 60..<75: members = alert()
        case 75..<95: members = gate()
        default: members = oddType()
        }
        for _ in 0..<(rng.chance(0.2) ? Int.random(in: 1...3, using: &rng) : 0) {
            members.append((rng.pick(["extra", "seq", "vendor", "rssi", "raw", "type2", "\u{7C7B}\u{578B}"]), value(depth: 2)))
        }
        if rng.chance(0.3) { mutateMembers(&members) }
        members.shuffle(using: &rng)
        return members
    }

    private mutating func position() -> [(String, Node)] {
        var m: [(String, Node)] = [("type", .string("position")), ("t", time())]
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<80: m.append(("tag", .string(tag())))
        case 80..<97: m.append(("plate", .string(plate())))
        case 97..<99: m += [("tag", .string(tag())), ("plate", .string(plate()))]
        default: break
        }
        if rng.chance(0.7) {
            m += [("x", number(in: -2000...2000, decimals: 2)), ("y", number(in: -2000...2000, decimals: 2))]
            if rng.chance(0.3) { m.append(("frame", .string(rng.pick(["uwb-hall-3", "ble-1", "", "厂房A"])))) }
        } else {
            m += [("lon", number(in: -185...185, decimals: 7)), ("lat", number(in: -95...95, decimals: 7))]
        }
        if rng.chance(0.3) { m.append(("level", number(in: -3...12, decimals: rng.chance(0.9) ? 0 : 1))) }
        if rng.chance(0.4) { m.append(("accuracy_m", rng.chance(0.05) ? number(in: 990...1010, decimals: 1) : number(in: -0.5...15, decimals: 2))) }
        if rng.chance(0.3) { m.append(("speed_kmh", number(in: -1...120, decimals: 1))) }
        if rng.chance(0.3) { m.append(("heading_deg", number(in: -360...360, decimals: 1))) }
        if rng.chance(0.4) { m.append(("battery_pct", number(in: -2...104, decimals: rng.chance(0.7) ? 0 : 1))) }
        if rng.chance(0.4) { m.append(("moving", .bool(rng.chance(0.5)))) }
        for key in ["level", "accuracy_m", "heading_deg", "frame", "plate"] where rng.chance(0.03) {
            m.append((key, .null))
        }
        return m
    }

    private mutating func alert() -> [(String, Node)] {
        let kinds = ["sos", "fall", "tamper", "cancel", "sos", "fall", "tamper", "cancel", "panic", "SOS", ""]
        return [("type", .string("alert")), ("t", time()), ("tag", .string(tag())), ("alert", .string(rng.pick(kinds)))]
    }

    private mutating func gate() -> [(String, Node)] {
        var m: [(String, Node)] = [
            ("type", .string("gate")), ("t", time()), ("gate", .string(rng.pick(["G1", "G2", "北门", "G-\u{1F6AA}"]))),
            ("direction", .string(rng.pick(["in", "out", "in", "out", "sideways", "IN"]))),
        ]
        let credentials: [(String, Node)] = [
            ("person", .string(rng.pick(["P0042", "P0043", "工号7"]))), ("card", .string("C\(Int.random(in: 1000...99_999_999, using: &rng))")),
            ("plate", .string(plate())),
        ]
        let given = rng.chance(0.95) ? 1 : rng.pick([0, 2])
        m += credentials.shuffled(using: &rng).prefix(given)
        if rng.chance(0.3) { m.append(("tag", .string(tag()))) }
        if rng.chance(0.3) { m.append(("count", number(in: -1...5, decimals: rng.chance(0.9) ? 0 : 1))) }
        if rng.chance(0.3) { m.append(("plate_color", .string(rng.pick(["yellow", "blue", "green", "黄", ""])))) }
        if rng.chance(0.3) { m.append(("granted", .bool(rng.chance(0.5)))) }
        return m
    }

    private mutating func oddType() -> [(String, Node)] {
        var m: [(String, Node)] = [("t", time()), ("tag", .string(tag())), ("x", .number("1")), ("y", .number("2"))]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: m.append(("type", .string(rng.pick(["heartbeat", "control", "Position", "positio", ""]))))
        case 1: m.append(("type", value(depth: 3)))
        case 2: m.append(("type", .null))
        default: break
        }
        return m
    }

    // MARK: Values

    private mutating func tag() -> String {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<80: return "T" + String(Int.random(in: 0..<100_000, using: &rng)).leftPadded(to: 5)
        case 80..<86: return "标签-\(Int.random(in: 0..<100, using: &rng))"
        case 86..<90: return "T\u{1F4E1}\(Int.random(in: 0..<10, using: &rng))"  // outside the BMP
        case 90..<94: return "T\"quoted\\\(Int.random(in: 0..<10, using: &rng))/"
        case 94..<97: return "T\t\n\u{1}\u{1F}\u{7F}"
        case 97..<99: return ""
        default: return "T" + String(repeating: "x", count: Int.random(in: 10...40, using: &rng))
        }
    }

    private mutating func plate() -> String {
        let provinces = Array("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        var s = String(rng.pick(provinces)) + String(rng.pick(letters))
        for _ in 0..<Int.random(in: 5...6, using: &rng) { s += String(Int.random(in: 0...9, using: &rng)) }
        return s
    }

    private mutating func time() -> Node {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<55:
            return .number(numberText(negative: false, digits: String(Int64.random(in: 1_700_000_000_000...1_900_000_000_000, using: &rng)), scale: 0))
        case 55..<60:
            return rng.pick([
                .number("1.5"), .number("-1"), .number("1795307400000.25"), .number("1e300"), .number("253402300799999"),
                .number("253402300800000"), .number("-0"), .number("0"), .bool(true), .array([]),
            ])
        case 60..<95:
            let y = Int.random(in: 2020...2030, using: &rng), mo = Int.random(in: 1...12, using: &rng)
            let d = Int.random(in: 1...28, using: &rng), h = Int.random(in: 0...23, using: &rng)
            var s = "\(y)-\(pad2(mo))-\(pad2(d))\(rng.pick(["T", "T", "t"]))\(pad2(h)):\(pad2(Int.random(in: 0...59, using: &rng))):\(pad2(Int.random(in: 0...59, using: &rng)))"
            if rng.chance(0.5) {
                s += "." + String(repeating: "7", count: Int.random(in: 1...9, using: &rng))
            }
            s += rng.pick(["Z", "z", "+08:00", "-05:30", "+00:00"])
            return .string(s)
        default:
            return .string(rng.pick(["yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T08:00:00", "2026-11-22", ""]))
        }
    }

    /// A number in `range` with `decimals` places, spelled in one of many equivalent ways, now
    /// and then with a long tail of extra digits.
    private mutating func number(in range: ClosedRange<Double>, decimals: Int) -> Node {
        var scale = decimals
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let v = (Double.random(in: range, using: &rng) * factor).rounded()
        var digits = String(Int64(abs(v)))
        if digits != "0", rng.chance(0.05) {
            // A long fraction: up to 30 significant digits in all.
            let extra = Int.random(in: 1...max(1, 30 - digits.count), using: &rng)
            for _ in 0..<extra { digits += String(Int.random(in: 0...9, using: &rng)) }
            scale += extra
        }
        return .number(numberText(negative: v < 0 || (v == 0 && rng.chance(0.1)), digits: digits, scale: scale))
    }

    /// `±digits × 10^-scale`, spelled with the decimal point moved by a random exponent, with or
    /// without trailing zeros, `e` or `E`, and an explicit `+`.
    private mutating func numberText(negative: Bool, digits: String, scale: Int) -> String {
        let exponent = rng.chance(0.6) ? 0 : Int.random(in: -6...6, using: &rng)
        let after = scale + exponent  // digits after the point in the spelled mantissa
        var mantissa: String
        let chars = Array(digits)
        if digits == "0" {
            mantissa = "0"
        } else if after <= 0 {
            mantissa = digits + String(repeating: "0", count: -after)
        } else if after < chars.count {
            mantissa = String(chars[..<(chars.count - after)]) + "." + String(chars[(chars.count - after)...])
        } else {
            mantissa = "0." + String(repeating: "0", count: after - chars.count) + digits
        }
        if rng.chance(0.15) {
            mantissa += (mantissa.contains(".") ? "" : ".") + String(repeating: "0", count: Int.random(in: 1...4, using: &rng))
        }
        var text = (negative ? "-" : "") + mantissa
        if exponent != 0 || rng.chance(0.05) {
            text += rng.pick(["e", "E"])
            if exponent < 0 { text += "-" } else if rng.chance(0.5) { text += "+" }
            text += String(repeating: "0", count: rng.chance(0.1) ? 1 : 0) + String(abs(exponent))
        }
        return text
    }

    /// Any value, for unknown members and type faults.
    private mutating func value(depth: Int) -> Node {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &rng) {
        case 0: return .string(rng.pick(["", "x", "\u{1F600}", "a\"b", "\\", "\u{0}", "行"]))
        case 1: return .number(numberText(negative: rng.chance(0.3), digits: String(Int.random(in: 0...99_999, using: &rng)), scale: Int.random(in: 0...4, using: &rng)))
        case 2: return .number(rng.pick(["1e-400", "0e999", "-0.0", "1E+2", "123456789012345678901234567890", "1e308", "1e999", "-2E+400"]))
        case 3: return .bool(rng.chance(0.5))
        case 4, 5: return .null
        case 6: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth: depth - 1) })
        default: return .object((0..<Int.random(in: 0...3, using: &rng)).map { i in ("k\(i)", value(depth: depth - 1)) })
        }
    }

    // MARK: Faults

    /// One fault in the members: drop one, null one, give one a value of another type, or
    /// repeat one with another value before or after it.
    private mutating func mutateMembers(_ members: inout [(String, Node)]) {
        guard !members.isEmpty else { return }
        let i = Int.random(in: 0..<members.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: members.remove(at: i)
        case 1: members[i].1 = .null
        case 2: members[i].1 = value(depth: 1)
        case 3: members.insert((members[i].0, value(depth: 1)), at: i)  // a bad first copy
        default: members.append((members[i].0, value(depth: 1)))  // a bad last copy
        }
    }

    private static let insertable: [UInt8] = Array(#"{}[]:,"\/ 0159.-+eEtfnu"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE4, 0xED, 0xF0, 0xFF]

    /// Multi-byte sequences at the edges of UTF-8: valid ones, and overlong forms, encoded
    /// surrogates, values above U+10FFFF and truncated sequences.
    private static let utf8Edges: [[UInt8]] = [
        [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE4, 0xB8], [0xF0, 0x90, 0x80], [0x80], [0xBF, 0xBF],
    ]

    private mutating func mutateBytes(_ text: inout [UInt8]) {
        guard !text.isEmpty else { return }
        let i = Int.random(in: 0..<text.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 6: text.insert(contentsOf: rng.pick(Self.utf8Edges), at: i)
        case 0: text.remove(at: i)
        case 1: text.insert(rng.pick(Self.insertable), at: i)
        case 2: text[i] = rng.pick(Self.insertable)
        case 3: text.removeSubrange(i...)
        case 4: if i + 1 < text.count { text.swapAt(i, i + 1) }
        default:
            let j = Int.random(in: i..<min(text.count, i + 12), using: &rng)
            text.insert(contentsOf: text[i...j], at: j + 1)
        }
    }

    // MARK: Spelling

    /// The text of a value, with random (valid) whitespace and escapes.
    mutating func spell(_ node: Node) -> [UInt8] {
        var out: [UInt8] = []
        spell(node, into: &out)
        return out
    }

    private mutating func spell(_ node: Node, into out: inout [UInt8]) {
        switch node {
        case .string(let s): spell(string: s, into: &out)
        case .number(let text): out += text.utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .array(let elements):
            out.append(0x5B)
            for (k, e) in elements.enumerated() {
                out += pad()
                if k > 0 { out.append(0x2C); out += pad() }
                spell(e, into: &out)
            }
            out += pad()
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (k, (key, value)) in members.enumerated() {
                out += pad()
                if k > 0 { out.append(0x2C); out += pad() }
                spell(string: key, into: &out)
                out += pad()
                out.append(0x3A)
                out += pad()
                spell(value, into: &out)
            }
            out += pad()
            out.append(0x7D)
        }
    }

    private mutating func spell(string s: String, into out: inout [UInt8]) {
        out.append(0x22)
        let escapeRate = rng.chance(0.2) ? 0.3 : 0.0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            let mustEscape = v < 0x20 || v == 0x22 || v == 0x5C
            if !mustEscape, !rng.chance(escapeRate) {
                out += String(scalar).utf8
                continue
            }
            switch v {
            case 0x22 where rng.chance(0.7): out += #"\""#.utf8
            case 0x5C where rng.chance(0.7): out += #"\\"#.utf8
            case 0x2F where rng.chance(0.7): out += #"\/"#.utf8
            case 0x0A where rng.chance(0.7): out += #"\n"#.utf8
            case 0x09 where rng.chance(0.7): out += #"\t"#.utf8
            case 0x08 where rng.chance(0.7): out += #"\b"#.utf8
            case 0x0C where rng.chance(0.7): out += #"\f"#.utf8
            case 0x0D where rng.chance(0.7): out += #"\r"#.utf8
            default:
                for unit in String(scalar).utf16 { out += hexEscape(unit) }
            }
        }
        out.append(0x22)
    }

    private mutating func hexEscape(_ unit: UInt16) -> [UInt8] {
        let digits = Array((rng.chance(0.5) ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        return [0x5C, 0x75] + [12, 8, 4, 0].map { digits[Int(unit >> UInt16($0) & 0xF)] }
    }

    /// JSON whitespace, mostly none.
    private mutating func pad() -> [UInt8] {
        guard rng.chance(0.15) else { return [] }
        return (0..<Int.random(in: 1...3, using: &rng)).map { _ in rng.pick([0x20, 0x20, 0x0A, 0x09, 0x0D]) }
    }

    private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
