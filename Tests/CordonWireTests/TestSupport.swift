import CordonCore
import CordonWire

/// Every item of one frame, in order.
func decodeAll(_ text: String, allowControl: Bool = false, maxFrameBytes: Int = 1 << 20) -> [DecodedItem] {
    decodeAll(Array(text.utf8), allowControl: allowControl, maxFrameBytes: maxFrameBytes)
}

func decodeAll(_ bytes: [UInt8], allowControl: Bool = false, maxFrameBytes: Int = 1 << 20) -> [DecodedItem] {
    var items: [DecodedItem] = []
    IngestDecoder(allowControl: allowControl, maxFrameBytes: maxFrameBytes).decode(bytes) { items.append($0) }
    return items
}

/// The one message of a single-object frame, or nil when it was not one accepted message.
func decodeOne(_ text: String) -> IngestMessage? {
    let items = decodeAll(text)
    guard items.count == 1, case .message(let m) = items[0] else { return nil }
    return m
}

/// The reason code of a single-item frame's rejection, or nil when it was not one rejection.
func rejection(_ text: String) -> String? {
    rejection(Array(text.utf8))
}

func rejection(_ bytes: [UInt8], maxFrameBytes: Int = 1 << 20) -> String? {
    let items = decodeAll(bytes, maxFrameBytes: maxFrameBytes)
    guard items.count == 1, case .rejected(let reason, _) = items[0] else { return nil }
    return reason.code
}

extension DecodedItem {
    var message: IngestMessage? {
        if case .message(let m) = self { return m }
        return nil
    }

    var rejectionCode: String? {
        if case .rejected(let r, _) = self { return r.code }
        return nil
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the same test inputs on
/// every machine and every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < p
    }

    mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &self)]
    }
}
