import CordonCore
import CordonService
import CordonWire

extension FuzzTargets {
    /// The op table, ControlOp's: a line starting with byte b asks for `ops[b % ops.count]`
    /// (tools/make-fuzz-corpus.py keeps the same list).
    public static let ops = ControlOp.allCases.map(\.rawValue)

    /// One input of the control harness (docs/fuzzing.md): every line is one step against a
    /// live engine on the scenario park, with a registry, people inside and an alarm raised,
    /// called as serve calls it (a `Caller`, admin unless the input says otherwise). Traps on
    /// what a fuzzer must report, and on a reply that is not a JSON object with `ok`.
    ///
    /// An input whose first line is `$` gets an in-memory store, as serve has: `track`, the
    /// audit and every stored change then run too. A store costs several milliseconds a run (a
    /// schema and two threads), so the other inputs go without, and the fuzzer keeps both kinds.
    ///
    /// A line's first byte says what the rest is, so that mutation reaches every op:
    /// - `{`, `[`, space or any byte below 0x20: the whole line is a raw control request;
    /// - `!`: the rest is an ingest frame (positions between requests, as in the field);
    /// - `~`: the clock moves by the rest read as a decimal number of seconds (timers fire);
    /// - `@`: later requests come from a caller whose role is `Role.allCases[rest[0] % 4]`, named
    ///   by the rest; `@` alone makes them replay lines (no caller: no role check, no audit);
    /// - any other byte b: the op `ops[b % ops.count]`, with the rest as the request's members,
    ///   `{"op":"<op>",<rest>}`.
    public static func control(_ input: UnsafeRawBufferPointer) {
        var lines = FuzzWorld.records(input)
        let withStore = lines.first.map { $0.count == 1 && $0[0] == 0x24 } ?? false
        if withStore { lines.removeFirst() }
        let p = FuzzWorld.pipeline(store: withStore, warm: true)
        defer { if withStore { p.close() } }
        var caller: Caller? = Caller.local(peer: "tcp://127.0.0.1:50000")
        var t = FuzzWorld.start.adding(seconds: 10)
        for line in lines {
            t = t.adding(seconds: 1)
            let first = line[0]
            let rest = UnsafeRawBufferPointer(rebasing: line[1...])
            let reply: [UInt8]
            switch first {
            case 0x7B, 0x5B, 0x20, 0x00..<0x20:
                reply = p.control(bytes: line, at: t, caller: caller)
            case 0x40:  // @
                if let r = rest.first {
                    caller = Caller(name: String(decoding: rest.dropFirst(), as: UTF8.self),
                                    role: Role.allCases[Int(r) % Role.allCases.count])
                } else {
                    caller = nil
                }
                continue
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
                reply = p.control(bytes: request, at: t, caller: caller)
            }
            // Every reply is JSON with "ok": a client must always be able to read it.
            guard case .object(let o)? = try? JSONText.parse(reply), o["ok"]?.boolValue != nil else {
                fatalError("a control reply that is not a JSON object with 'ok': \(String(decoding: reply, as: UTF8.self))")
            }
        }
    }
}
