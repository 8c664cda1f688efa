import CordonCore
import CordonWire
import Foundation
import Testing

/// JSONText: JSON text to and from Value, for control, registry and site files.
@Suite("JSONText reads and writes JSON")
struct JSONTextTests {
    @Test("reads every kind of value")
    func parsesAllKinds() throws {
        let v = try JSONText.parse(#" {"s":"a\"b\u00e9\ud83d\ude00","n":-1.5e3,"i":42,"t":true,"f":false,"z":null,"a":[1,[],{}],"o":{"k":"v"}} "#)
        #expect(v == ["s": "a\"bé😀", "n": -1500, "i": 42, "t": true, "f": false, "z": nil, "a": [1, [], [:]], "o": ["k": "v"]])
        #expect(try JSONText.parse("3") == 3)
        #expect(try JSONText.parse(#""x""#) == "x")
        #expect(try JSONText.parse(Array("[1,2]".utf8)) == [1, 2])
        // Any collection of bytes, contiguous or not.
        #expect(try JSONText.parse(Array("[true]".utf8).lazy.map { $0 }) == [true])
    }

    @Test("a repeated member keeps the last value")
    func duplicates() throws {
        #expect(try JSONText.parse(#"{"a":1,"a":2}"#) == ["a": 2])
        // An overflowing number that a later duplicate replaces is gone, as for JSONSerialization.
        #expect(try JSONText.parse(#"{"a":1e999,"a":2}"#) == ["a": 2])
    }

    @Test("errors name the byte offset and what was expected", arguments: [
        (#"{"a" 1}"#, 5, "':'"),
        (#"[1,2"#, 4, "the input ended"),
        (#"{"a":1}x"#, 7, "the end of the text"),
        (#"[1e999]"#, 1, "within the range of a double"),
        ("", 0, "a value"),
        (#"{"a":[1,]}"#, 8, "a value"),
    ])
    func errors(text: String, offset: Int, expected: String) {
        do {
            _ = try JSONText.parse(text)
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
            #expect(error.description.contains(expected), "\(text): \(error)")
            #expect(error.description.hasPrefix("invalid JSON at byte \(offset): expected "))
        }
    }

    @Test("writes compactly with members sorted by their bytes, whatever the insertion order")
    func deterministic() {
        var a: [String: Value] = [:]
        var b: [String: Value] = [:]
        let keys = ["b", "a", "B", "é", "aa", "", "z"]
        for (i, k) in keys.enumerated() { a[k] = .int(i) }
        for (i, k) in keys.enumerated().reversed() { b[k] = .int(i) }
        #expect(JSONText.encode(.object(a)) == #"{"":5,"B":2,"a":1,"aa":4,"b":0,"z":6,"é":3}"#)
        #expect(JSONText.encodeBytes(.object(a)) == JSONText.encodeBytes(.object(b)))
        #expect(JSONText.encode([1, "x", nil, true, ["k": [:]]]) == #"[1,"x",null,true,{"k":{}}]"#)
    }

    @Test("escapes quotes, backslashes and control characters; keeps other text as UTF-8")
    func escapes() {
        #expect(JSONText.encode("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(JSONText.encode("\n\t\u{0}\u{1F}") == #""\u000a\u0009\u0000\u001f""#)
        #expect(JSONText.encode("鲁B12345 😀 \u{7F} \u{2028}") == "\"鲁B12345 😀 \u{7F} \u{2028}\"")
        // A long plain run before the first character that needs escaping.
        #expect(JSONText.encode("person:P0042 entered Z-TANK-07 \"east\"") == #""person:P0042 entered Z-TANK-07 \"east\"""#)
    }

    @Test("numbers: integers plainly, the rest in shortest round-trip form, never NaN or infinity", arguments: [
        (42.0, "42"), (0, "0"), (-9_007_199_254_740_991, "-9007199254740991"), (1_795_307_400_000, "1795307400000"), (-7, "-7"), (-0.0, "0"), (0.1, "0.1"), (1e-05, "1e-05"),
        (227.22, "227.22"), (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9007199254740992.0"),
        (1e300, "1e+300"), (.leastNonzeroMagnitude, "5e-324"), (.infinity, "null"), (-.infinity, "null"), (.nan, "null"),
    ])
    func numbers(n: Double, text: String) {
        #expect(JSONText.encode(.number(n)) == text)
    }

    @Test("reading numbers is correctly rounded, like the standard library", arguments: [
        "0.1", "227.22", "-835.13", "1795307400000", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
        "9007199254740993", "9007199254740992.5", "123456789012345678901234567890", "0.1000000000000000055511151231257827021181583404541015625",
        "1e22", "1e23", "8.98846567431158e307", "0.000000000000000000000000000001", "7.3177701707893310e+15",
        "1.00000000000000011102230246251565404236316680908203125", "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126", "-0", "1E-400", "123456789012345678e-5",
    ])
    func hardNumbers(text: String) throws {
        let v = try JSONText.parse(text)
        #expect(v == .number(Double(text) ?? .nan), "\(text)")
    }

    @Test("reading random numbers of every shape agrees with the standard library")
    func randomNumbers() throws {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<20_000 {
            var text = rng.chance(0.3) ? "-" : ""
            let intDigits = Int.random(in: 1...25, using: &rng)
            text += String(Int.random(in: 1...9, using: &rng))
            for _ in 1..<intDigits { text += String(Int.random(in: 0...9, using: &rng)) }
            if rng.chance(0.7) {
                text += "."
                for _ in 0..<Int.random(in: 1...30, using: &rng) { text += String(Int.random(in: 0...9, using: &rng)) }
            }
            if rng.chance(0.5) { text += "e\(Int.random(in: -330...300, using: &rng))" }
            let expected = Double(text) ?? .nan
            if expected.isFinite {
                #expect(try JSONText.parse(text) == .number(expected), "\(text)")
            } else {
                #expect(throws: JSONTextError.self) { try JSONText.parse(text) }
            }
        }
        // Random doubles through their own shortest text.
        for _ in 0..<20_000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            #expect(try JSONText.parse(d.description) == .number(d))
        }
    }

    @Test("random values survive a round trip, and the text is what JSONSerialization reads too")
    func roundTrip() throws {
        var rng = SeededRandom(seed: 2026)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&rng, depth: 4)
            let bytes = JSONText.encodeBytes(value)
            let back = try JSONText.parse(bytes)
            #expect(back == value)
            #expect(JSONText.encodeBytes(back) == bytes)
            #expect((try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil)
        }
    }

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> Value {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 5), using: &rng) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2:
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return .int(Int.random(in: -1_000_000...1_000_000, using: &rng))
            case 1: return .number(Double.random(in: -1e6...1e6, using: &rng))
            case 2: return .int(Int64.random(in: -(1 << 53)...(1 << 53), using: &rng))
            default:
                let d = Double(bitPattern: rng.next())
                return .number(d.isFinite ? d : 0)
            }
        case 3, 4:
            let pieces = ["a", "鲁B12345", "\"", "\\", "\n", "\u{0}", "\u{1F}", "😀", "/", "\u{7F}", " ", "é", "e\u{301}"]
            return .string((0..<Int.random(in: 0...6, using: &rng)).map { _ in rng.pick(pieces) }.joined())
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth - 1) })
        default:
            var members: [String: Value] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                members[rng.pick(["id", "t", "zone", "名称", "a\"b", ""])] = randomValue(&rng, depth: depth - 1)
            }
            return .object(members)
        }
    }
}
