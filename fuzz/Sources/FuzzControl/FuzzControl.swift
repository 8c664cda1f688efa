import CordonCore
import CordonService
import CordonWire
import FuzzSupport
import Foundation

// libFuzzer harness for the control layer (docs/fuzzing.md): every line of the input is one
// step against a live engine on the scenario park, with a registry, people inside, an alarm
// raised and an in-memory store (so `track` and every stored change run as in serve).
//
// A line's first byte says what the rest is, so that mutation reaches every op:
// - `{`, `[`, space or any byte below 0x20: the whole line is a raw control request;
// - `!`: the rest is an ingest frame (positions between requests, as in the field);
// - `~`: the clock moves by the rest read as a decimal number of seconds (timers fire);
// - any other byte b: the op `ops[b % ops.count]`, with the rest as the request's members,
//   `{"op":"<op>",<rest>}`.

private let ops = [
    "ping", "site.get", "site.reload", "track",
    "registry.upsert", "registry.get", "registry.remove",
    "headcount", "whereis", "presence", "parking", "journey",
    "alarms.active", "alarms.ack",
    "permit.create", "permit.close", "permit.list",
    "muster.start", "muster.status", "muster.mark", "muster.end", "muster.list",
    "booking.create", "booking.cancel", "booking.list",
    "audit.list",
]

/// libFuzzer's entry point: one input, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControl(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let p = FuzzWorld.pipeline(store: true, warm: true)
    defer { p.close() }
    var t = FuzzWorld.start.adding(seconds: 10)
    for line in FuzzWorld.records(input) {
        t = t.adding(seconds: 1)
        let first = line[0]
        let rest = UnsafeRawBufferPointer(rebasing: line[1...])
        var reply: [UInt8]
        switch first {
        case 0x7B, 0x5B, 0x20, 0x00..<0x20:
            reply = p.control(bytes: line, at: t)
        case 0x21:  // !
            p.ingest(frame: rest, receivedAt: t)
            continue
        case 0x7E:  // ~
            let s = Double(String(decoding: rest, as: UTF8.self)) ?? 60
            if s.isFinite, s > 0, s < 400 * 86_400 { t = t.adding(seconds: s) }
            p.tick(to: t)
            continue
        default:
            var request = Array(#"{"op":""#.utf8) + Array(ops[Int(first) % ops.count].utf8) + [0x22]
            if !rest.isEmpty { request += [0x2C] + Array(rest) }
            request.append(0x7D)
            reply = p.control(bytes: request, at: t)
        }
        // Every reply is JSON with "ok": a client must always be able to read it.
        guard case .object(let o)? = try? JSONText.parse(reply), o["ok"]?.boolValue != nil else {
            fatalError("a control reply that is not a JSON object with 'ok': \(String(decoding: reply, as: UTF8.self))")
        }
        reply.removeAll()
    }
    return 0
}
