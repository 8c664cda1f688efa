import CordonCore
import CordonWire
import Foundation
import Testing

/// The rule this holds the decoder to: "it must agree with JSONSerialization on every valid message and reject
/// every invalid one, and a differential test proves it."
///
/// Each generated frame is read twice: by `IngestDecoder`, and by `JSONSerialization` followed
/// by ``ReferenceValidator``. They must agree on every element: the same message with the same
/// field values (strings byte for byte, doubles exactly), or a rejection with the same reason
/// code. What JSONSerialization refuses, the decoder refuses as `malformed-json` (or as
/// `non-finite` where JSONSerialization's complaint is a number out of range).
///
/// Deliberate differences, where JSONSerialization on Linux accepts text RFC 8259 forbids, and
/// the decoder refuses it as `malformed-json` (see `IngestDecoder`): a trailing comma; text
/// that is not UTF-8 (JSONSerialization guesses UTF-16/32 from zero bytes); nesting deeper
/// than 64.
@Suite("IngestDecoder agrees with JSONSerialization")
struct DifferentialTests {
    /// What the decoder should make of a frame, by the oracle.
    enum Expectation {
        case malformed
        /// JSONSerialization refused a number beyond a double: the decoder refuses the message
        /// holding it as `non-finite` (or the whole frame, when it is also broken elsewhere).
        case nonFinite
        case verdicts([ReferenceValidator.Verdict])
    }

    static func expectation(for input: [UInt8]) -> Expectation {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])
        } catch {
            let why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            return why.contains("not representable") ? .nonFinite : .malformed
        }
        if KnownDeviation.any(in: input) { return .malformed }
        return .verdicts(ReferenceValidator.verdicts(json))
    }

    /// Every string a message carries, as UTF-8: String's `==` compares canonical equivalents
    /// as equal, and the decoder must deliver the exact characters that were sent.
    static func strings(_ m: IngestMessage) -> [[UInt8]] {
        var out: [String?] = []
        switch m {
        case .position(let p):
            switch p.source {
            case .tag(let s), .plate(let s): out.append(s)
            }
            if case .local(_, _, let frame) = p.place { out.append(frame) }
        case .alert(let a):
            out.append(a.tag)
        case .gate(let g):
            out += [g.gate, g.tag, g.plateColor]
            switch g.credential {
            case .person(let s), .card(let s), .plate(let s): out.append(s)
            }
        }
        return out.map { Array(($0 ?? "<nil>").utf8) }
    }

    /// Why the decoder's items disagree with the expectation, or nil when they agree.
    static func disagreement(_ items: [DecodedItem], _ expectation: Expectation, frameSize: Int) -> String? {
        let malformedWhole: [DecodedItem] = items.count == 1 && items[0].rejectionCode == "malformed-json" ? items : []
        switch expectation {
        case .malformed:
            guard malformedWhole.count == 1, case .rejected(_, let raw) = items[0], raw == 0..<frameSize else {
                return "expected one malformed-json rejection of the whole frame"
            }
            return nil
        case .nonFinite:
            if malformedWhole.count == 1 { return nil }
            let codes = items.compactMap(\.rejectionCode)
            guard codes.contains("non-finite"), !codes.contains("malformed-json") else {
                return "expected a non-finite rejection"
            }
            return nil
        case .verdicts(let verdicts):
            guard items.count == verdicts.count else { return "expected \(verdicts.count) items" }
            for (k, (item, verdict)) in zip(items, verdicts).enumerated() {
                switch (item, verdict) {
                case (.message(let got), .accepted(let want)):
                    if got != want || strings(got) != strings(want) { return "item \(k): expected \(want)" }
                case (.rejected(let reason, let raw), .rejected(let code)):
                    if reason.code != code { return "item \(k): expected \(code)" }
                    if raw.lowerBound < 0 || raw.upperBound > frameSize { return "item \(k): raw range \(raw) outside the frame" }
                default:
                    return "item \(k): expected \(verdict)"
                }
            }
            return nil
        }
    }

    @Test("20,000 generated frames, valid and broken: the same verdict, the same values")
    func generatedFrames() throws {
        var generator = MessageGenerator(seed: 0x00C0_4D0E)
        var tally: [String: Int] = [:]
        var failures = 0
        for _ in 0..<20_000 {
            let input = generator.frame()
            let expectation = Self.expectation(for: input)
            let items = decodeAll(input)
            if let why = Self.disagreement(items, expectation, frameSize: input.count) {
                failures += 1
                if failures <= 20 {
                    Issue.record("\(why)\n  input: \(String(decoding: input, as: UTF8.self).debugDescription) \(input.count) bytes\n  got: \(items)")
                }
            }
            for item in items {
                switch item {
                case .message: tally["accepted", default: 0] += 1
                case .rejected(let r, _): tally[r.code, default: 0] += 1
                case .control: tally["control", default: 0] += 1
                }
            }
            if case .malformed = expectation, !KnownDeviation.any(in: input) { tally["JSONSerialization refused", default: 0] += 1 }
        }
        #expect(failures == 0)
        // The generator must reach every verdict, or the agreement proves little.
        for code in ["accepted", "malformed-json", "missing-field", "wrong-type", "invalid-value", "unknown-type", "non-finite"] {
            #expect(tally[code, default: 0] > 20, "too few '\(code)': \(tally)")
        }
        #expect(tally["accepted", default: 0] > 6_000, "\(tally)")
    }

    @Test("the raw range of a refused batch element is exactly that element")
    func rawRangesAreElements() throws {
        var generator = MessageGenerator(seed: 7)
        var checked = 0
        for _ in 0..<5_000 {
            let input = generator.frame()
            guard input.first == 0x5B, case .verdicts = Self.expectation(for: input) else { continue }
            for case .rejected(_, let raw) in decodeAll(input) {
                let element = Array(input[raw])
                #expect((try? JSONSerialization.jsonObject(with: Data(element), options: [.fragmentsAllowed])) != nil)
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test("JSONText reads every generated frame as JSONSerialization does, and refuses what it refuses")
    func jsonTextAgrees() throws {
        var generator = MessageGenerator(seed: 0x7E47)
        var compared = 0
        for _ in 0..<10_000 {
            let input = generator.frame()
            let parsed = try? JSONText.parse(input)
            guard let json = try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed]) else {
                #expect(parsed == nil, "\(String(decoding: input, as: UTF8.self).debugDescription)")
                continue
            }
            if KnownDeviation.any(in: input) {
                #expect(parsed == nil)
                continue
            }
            #expect(parsed != nil && parsed == Self.value(json), "\(String(decoding: input, as: UTF8.self).debugDescription)")
            compared += 1
        }
        #expect(compared > 5_000)
    }

    @Test("replay control lines carry the request JSONSerialization reads")
    func controlRequests() throws {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<2_000 {
            var members: [String: Value] = ["op": .string(rng.pick(["booking.create", "permit.create", "ping"]))]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                members[rng.pick(["id", "plate", "window", "workers", "cargo", "路线"])] = JSONTextTests.randomValue(&rng, depth: 3)
            }
            let request = JSONText.encode(.object(members))
            let line = #"{"t":1795307400000,"request":\#(request),"type":"control"}"#
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let expected = json?["request"].flatMap(Self.value)
            #expect(decodeAll(line, allowControl: true) == [.control(time: Instant(milliseconds: 1_795_307_400_000), request: expected ?? nil)])
        }
    }

    /// A Foundation object as a Value (booleans told apart from numbers by their objCType).
    static func value(_ any: Any) -> Value? {
        if any is NSNull { return .null }
        if let s = any as? String { return .string(s) }
        if ReferenceValidator.isBool(any) { return ReferenceValidator.bool(any).map(Value.bool) }
        if let n = ReferenceValidator.number(any) { return .number(n) }
        if let a = any as? [Any] {
            let elements = a.compactMap(value)
            return elements.count == a.count ? .array(elements) : nil
        }
        if let o = any as? [String: Any] {
            var members: [String: Value] = [:]
            for (k, v) in o {
                guard let value = value(v) else { return nil }
                members[k] = value
            }
            return .object(members)
        }
        return nil
    }

    // MARK: The deliberate differences, pinned down

    @Test("JSONSerialization takes a trailing comma; the decoder does not (RFC 8259 forbids it)")
    func trailingComma() throws {
        let text = #"{"type":"alert","tag":"T1","t":1,"alert":"sos",}"#
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil)
        #expect(rejection(text) == "malformed-json")
        #expect(KnownDeviation.hasTrailingComma(Array(text.utf8)))
        #expect(!KnownDeviation.hasTrailingComma(Array(#"{"a":",}"}"#.utf8)))
    }

    @Test("JSONSerialization guesses UTF-16 from zero bytes; the decoder reads UTF-8 only")
    func utf16() throws {
        let text = Array(#"{"type":"alert","tag":"T1","t":1,"alert":"sos"}"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect((try? JSONSerialization.jsonObject(with: Data(text))) != nil)
        #expect(rejection(text) == "malformed-json")
    }

    @Test("JSONSerialization nests to 512; the decoder stops at 64")
    func depth() throws {
        let nested = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let text = #"{"type":"alert","tag":"T1","t":1,"alert":"sos","x":\#(nested)}"#
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil)
        #expect(rejection(text) == "malformed-json")
    }

    @Test("a number beyond a double: JSONSerialization refuses the frame, the decoder the message")
    func overflowInBatch() throws {
        let text = #"[{"type":"alert","tag":"T1","t":1,"alert":"sos"},{"type":"alert","tag":"T2","t":1e999,"alert":"sos"}]"#
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil)
        #expect(decodeAll(text).map(\.rejectionCode) == [nil, "non-finite"])
    }
}

/// Text JSONSerialization (on Linux) accepts although RFC 8259 does not, found by plain scans
/// that share nothing with the decoder. Only called on text JSONSerialization accepted, so the
/// string boundaries they track are sound.
enum KnownDeviation {
    static func any(in input: [UInt8]) -> Bool {
        !isUTF8(input) || hasTrailingComma(input) || depth(input) > 64
    }

    /// Valid UTF-8 without zero bytes (a zero byte is never valid JSON outside a string, nor
    /// raw inside one; JSONSerialization takes it as a sign of UTF-16 or UTF-32).
    static func isUTF8(_ input: [UInt8]) -> Bool {
        !input.contains(0) && String(validating: input, as: UTF8.self) != nil
    }

    /// A `,` followed by optional whitespace and `]` or `}`, outside strings.
    static func hasTrailingComma(_ input: [UInt8]) -> Bool {
        var inString = false, escaped = false, afterComma = false
        for c in input {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            switch c {
            case 0x22: inString = true; afterComma = false
            case 0x2C: afterComma = true
            case 0x20, 0x09, 0x0A, 0x0D: break
            case 0x5D, 0x7D: if afterComma { return true }
            default: afterComma = false
            }
        }
        return false
    }

    /// The deepest nesting of arrays and objects.
    static func depth(_ input: [UInt8]) -> Int {
        var inString = false, escaped = false, level = 0, deepest = 0
        for c in input {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            switch c {
            case 0x22: inString = true
            case 0x5B, 0x7B: level += 1; deepest = max(deepest, level)
            case 0x5D, 0x7D: level -= 1
            default: break
            }
        }
        return deepest
    }
}
