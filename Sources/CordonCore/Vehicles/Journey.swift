/// One booking's trip through the park: what happened to the truck from the gate in to the
/// gate out, for the hazmat supervisor and the three-year record.
public struct Journey: Sendable, Equatable, Codable {
    public enum Step: String, Sendable, Codable {
        case entered, offRoute = "off-route", backOnRoute = "back-on-route", arrived, departed, exited, violation
    }

    public struct Event: Sendable, Equatable, Codable {
        public var step: Step
        public var at: Instant
        public var detail: String?
    }

    public var booking: String
    public var plate: String
    public var route: String?
    public var destination: String?
    public var events: [Event] = []
    /// Violation ids raised against the vehicle while on this booking, with their kinds.
    public var violations: [String] = []

    public var arrivedAt: Instant? { events.first { $0.step == .arrived }?.at }

    mutating func note(_ step: Step, at t: Instant, gate: String?) {
        events.append(Event(step: step, at: t, detail: gate))
    }

    var value: Value {
        .compact([
            "booking": .string(booking), "plate": .string(plate), "route": .optional(route), "destination": .optional(destination),
            "events": .array(events.map { .compact(["step": .string($0.step.rawValue), "at": .time($0.at), "detail": .optional($0.detail)]) }),
        ])
    }
}
