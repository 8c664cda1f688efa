import CordonCore
import CordonService

extension Engine {
    /// A control request routed as the service routes it (``ControlOp``): the tests send the
    /// engine what operators send, and the engine is given the command the edge decodes.
    public func control(_ request: Value, at t: Instant) -> ControlResult {
        do throws(RequestError) {
            guard case .engine(let command) = try ControlOp.of(request).route(request) else {
                return ControlResult(reply: .failure(.invalid("the service answers '\(request["op"]?.stringValue ?? "")', not the engine")))
            }
            return control(command, at: t)
        } catch {
            return ControlResult(reply: .failure(error), outputs: advance(to: t))
        }
    }
}
