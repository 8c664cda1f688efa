import CordonCore
import CordonWire

/// One thing the traffic simulator says, at the simulated instant it says it: an ingest message
/// of docs/protocol.md, "Ingest messages" (for the PUSH socket) or a control request of section 5 (for the
/// REQ socket).
public struct SimulatedMessage: Sendable, Equatable {
    public enum Payload: Sendable, Equatable {
        /// A `position`, `alert` or `gate` object.
        case ingest(Value)
        /// A control request (`{"op":…}`).
        case control(Value)
        /// The control room acknowledges an alarm: `alarms.ack`. Sent to a service, the
        /// alarm's id is asked of it (`alarms.active`); in a replay file it is the id the
        /// service derives (``Acknowledgement/derivedID``).
        case acknowledge(Acknowledgement)
    }

    /// Which alarm to acknowledge, and who does.
    public struct Acknowledgement: Sendable, Equatable {
        /// The alarm's kind (`sos`) and its subject's id (a person's id).
        public var kind: String
        public var subject: String
        public var by: String
        /// The id the service gives the alarm when it is raised as the simulator expects.
        public var derivedID: String

        /// The `alarms.ack` request for an alarm id.
        public func request(id: String) -> Value {
            ["op": "alarms.ack", "id": .string(id), "by": .string(by)]
        }
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
        case .control, .acknowledge: return "control"
        }
    }

    /// The op of a control request, nil for an ingest message.
    public var op: String? {
        request?["op"]?.stringValue
    }

    /// The control request (for an acknowledgement, with the derived id); nil for an ingest message.
    public var request: Value? {
        switch payload {
        case .ingest: return nil
        case .control(let r): return r
        case .acknowledge(let a): return a.request(id: a.derivedID)
        }
    }

    /// The JSON text sent on its socket: the ingest object, or the control request.
    public var text: String {
        switch payload {
        case .ingest(let v), .control(let v): return JSONText.encode(v)
        case .acknowledge(let a): return JSONText.encode(a.request(id: a.derivedID))
        }
    }

    /// The UTF-8 bytes of ``text``.
    public var bytes: [UInt8] {
        switch payload {
        case .ingest(let v), .control(let v): return JSONText.encodeBytes(v)
        case .acknowledge(let a): return JSONText.encodeBytes(a.request(id: a.derivedID))
        }
    }

    /// The line of a replay input file (docs/protocol.md, "Replay"): the ingest object itself, or
    /// `{"type":"control","t":…,"request":{…}}` for a control request.
    public var replayLine: String {
        switch payload {
        case .ingest(let v):
            return JSONText.encode(v)
        case .control(let r):
            return JSONText.encode(["type": "control", "t": .int(time.milliseconds), "request": r])
        case .acknowledge(let a):
            return JSONText.encode(["type": "control", "t": .int(time.milliseconds), "request": a.request(id: a.derivedID)])
        }
    }
}
