import CZeroMQ

/// The libzmq socket patterns Cordon uses; each case maps to the matching `ZMQ_*` constant.
public enum SocketType: Sendable, CaseIterable, CustomStringConvertible {
    case pull, push, pub, sub, rep, req, dealer, router

    var rawZMQValue: Int32 {
        switch self {
        case .pull: ZMQ_PULL
        case .push: ZMQ_PUSH
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .rep: ZMQ_REP
        case .req: ZMQ_REQ
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        }
    }

    public var description: String {
        switch self {
        case .pull: "PULL"
        case .push: "PUSH"
        case .pub: "PUB"
        case .sub: "SUB"
        case .rep: "REP"
        case .req: "REQ"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        }
    }
}
