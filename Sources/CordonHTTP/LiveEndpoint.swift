import CordonCore
import CordonService
import CordonWire
import HummingbirdWebSocket
import Logging
import NIOCore

/// `GET /api/live`: each client gets its own bounded queue on the feed; one task sends what
/// it holds, another reads `{"subscribe":[…]}`. A client that cannot keep up is sent
/// `{"topic":"resync"}` and must reload from the API; the engine is never held up by it.
enum LiveEndpoint {
    static func run(feed: LiveFeed, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let client = feed.attach()
        defer { feed.detach(client) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: 16 * 1024) {
                        guard case .text(let text) = message else { continue }
                        if let v = try? JSONText.parse(text), let list = v["subscribe"]?.arrayValue {
                            client.subscribe(list.compactMap(\.stringValue).filter { $0.count <= 64 }.prefix(32).map { $0 })
                        }
                    }
                } catch {
                    logger.debug("live client read ended: \(error)")
                }
            }
            group.addTask {
                while let batch = await client.next() {
                    do {
                        for m in batch { try await outbound.write(.text(String(decoding: m.text, as: UTF8.self))) }
                    } catch {
                        return
                    }
                }
            }
            // Either side ending (the client left, or the feed closed) ends both.
            await group.next()
            feed.detach(client)
            group.cancelAll()
        }
    }
}
