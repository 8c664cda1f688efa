import CordonCore
import CordonWire

/// One thing the traffic simulator says, at the simulated instant it says it: an ingest message
/// of PROTOCOL.md section 3 (for the PUSH socket) or a control request of section 5 (for the
/// REQ socket).
public struct SimulatedMessage: Sendable, Equatable {
    public enum Payload: Sendable, Equatable {
        /// A `position`, `alert` or `gate` object.
        case ingest(Value)
        /// A control request (`{"op":…}`).
        case control(Value)
    }

    /// The event time; also the `t` of an ingest message.
    public var time: Instant
    public var payload: Payload

    public init(time: Instant, payload: Payload) {
        self.time = time
        self.payload = payload
    }

    /// `position`, `gate`, `alert`, or `control`: for counting.
    public var kind: String {
        switch payload {
        case .ingest(let v): return v["type"]?.stringValue ?? "?"
        case .control: return "control"
        }
    }

    /// The op of a control request, nil for an ingest message.
    public var op: String? {
        if case .control(let r) = payload { return r["op"]?.stringValue }
        return nil
    }

    /// The JSON text sent on its socket: the ingest object, or the control request.
    public var text: String {
        switch payload {
        case .ingest(let v), .control(let v): return JSONText.encode(v)
        }
    }

    /// The UTF-8 bytes of ``text``.
    public var bytes: [UInt8] {
        switch payload {
        case .ingest(let v), .control(let v): return JSONText.encodeBytes(v)
        }
    }

    /// The line of a replay input file (PROTOCOL.md section 7): the ingest object itself, or
    /// `{"type":"control","t":…,"request":{…}}` for a control request.
    public var replayLine: String {
        switch payload {
        case .ingest(let v):
            return JSONText.encode(v)
        case .control(let r):
            return JSONText.encode(["type": "control", "t": .int(time.milliseconds), "request": r])
        }
    }
}
