/// `forwarding-failed`: a message to another platform was given up, refused for good or not
/// delivered within the destination's give-up time. The platform is missing an alarm the
/// regulator expects it to have; someone must send it by other means.
///
/// An event, one per destination at a time: raised at the first message given up, it stays
/// until an operator acknowledges it; messages given up meanwhile are in `forward.status` and
/// the store's `forward_dead`. Its subject is the service (`service`, `forwarding:<destination>`).
enum ForwardingFailedRule {
    static func observe(_ f: ForwardingFailure, at t: Instant, context c: inout RuleContext) {
        guard !c.alarms.isRaised(.forwardingFailed, .service("forwarding:\(f.destination)")) else { return }
        c.raise(.forwardingFailed, subject: .service(id: "forwarding:\(f.destination)", name: "forwarding to \(f.destination)"),
                scope: "", at: t, zone: nil, position: nil, details: [
                    "destination": .string(f.destination), "msg_id": .string(f.msgID), "type": .string(f.type),
                    "reason": .string(f.reason),
                    "effect": "the platform did not get this message; later ones are delivered as usual, those given up are in forward.status",
                ])
    }
}
