import CordonCore
import CordonService
import CordonWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The HTTP side of `cordon serve` (docs/protocol.md, "HTTP"): the console, the JSON API, the
/// live WebSocket, `/healthz` and `/metrics`. It runs on its own threads and reaches the
/// engine only through the bridge, so a slow browser never slows the engine.
public final class ConsoleServer: Sendable {
    public let options: HTTPOptions
    public let bridge: HTTPBridge
    public let metrics: MetricsExporter
    let engine: EngineClient
    let access: HTTPAccess
    let logger: Logger

    /// Makes the bridge the service must be configured with (``CordonService/ServiceConfig/httpBridge``).
    public static func makeBridge(metrics: MetricsExporter) throws(MailboxError) -> HTTPBridge {
        HTTPBridge(mailbox: try ControlMailbox(), feed: LiveFeed(), ingestToPublish: { metrics.observeIngestToPublish($0) })
    }

    public init(options: HTTPOptions, bridge: HTTPBridge, metrics: MetricsExporter, logger: Logger = Logger(label: "cordon.http")) throws(HTTPSetupError) {
        try options.validate()
        guard FileManager.default.fileExists(atPath: options.consoleDirectory + "/index.html") else {
            throw .consoleNotFound(options.consoleDirectory)
        }
        self.options = options
        self.bridge = bridge
        self.metrics = metrics
        self.engine = EngineClient(mailbox: bridge.mailbox)
        self.access = HTTPAccess(tokens: options.tokens)
        self.logger = logger
    }

    /// Serves until the task is cancelled; `onBound` gets the port actually bound.
    public func run(onBound: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        addRoutes(router)
        router.add(middleware: FileMiddleware(options.leafletDirectory, urlBasePath: "/assets/leaflet", searchForIndexHtml: false, logger: logger))
        router.add(middleware: FileMiddleware(options.consoleDirectory, searchForIndexHtml: true, logger: logger))
        let feed = bridge.feed
        let access = self.access
        let logger = self.logger
        router.ws("/api/live") { request, _ in
            access.caller(request) == nil ? .dontUpgrade : .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            await LiveEndpoint.run(feed: feed, inbound: inbound, outbound: outbound, logger: logger)
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "cordon"),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    // MARK: routes

    private func addRoutes(_ router: Router<BasicWebSocketRequestContext>) {
        router.get("/healthz") { [self] _, _ in await health() }
        // /healthz answers anyone (load balancers, watchdogs); it tells nothing but ok or why not.
        router.get("/metrics") { [self] request, _ in
            guard access.caller(request) != nil else { return Self.unauthorized() }
            return await metricsResponse()
        }
        router.post("/api/control") { [self] request, _ in
            guard let caller = access.caller(request) else { return Self.unauthorized() }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: 1 << 20) } catch {
                return Self.error(.contentTooLarge, "invalid-request", "the request body is larger than 1 MiB")
            }
            let request: Value
            do { request = try JSONText.parse(Array(buffer: body)) } catch {
                return Self.error(.badRequest, "invalid-request", "the request is not valid JSON: \(error)")
            }
            return await controlResponse(request, caller: caller)
        }
        router.get("/api/console/site") { [self] request, _ in
            guard let caller = access.caller(request) else { return Self.unauthorized() }
            return await answer(.control(["op": "site.get"], caller)) { bytes in
                let reply = try JSONText.parse(bytes)
                guard reply["ok"]?.boolValue == true, let doc = reply["site"], let plan = SitePlan.local(from: doc) else {
                    return Self.json(ReplyStatus.of(code: reply["error"]?["code"]?.stringValue ?? "internal"), bytes)
                }
                return Self.json(.ok, JSONText.encodeBytes(plan))
            }
        }
        // Where every subject is now, for a map that has just opened (live positions follow).
        router.get("/api/console/positions") { [self] request, _ in
            guard access.caller(request) != nil else { return Self.unauthorized() }
            return await answer(.inspect { $0.livePositions() }) { Self.json(.ok, $0) }
        }
        // The muster report as CSV (MusterCSV, as `cordon muster report` writes it): GET for
        // the running muster, POST with the report `muster.end` returned for one that ended.
        router.get("/api/console/muster.csv") { [self] request, _ in
            guard let caller = access.caller(request) else { return Self.unauthorized() }
            return await answer(.control(["op": "muster.status"], caller)) { bytes in
                let reply = try JSONText.parse(bytes)
                guard let report = reply["muster"] else {
                    return Self.json(ReplyStatus.of(code: reply["error"]?["code"]?.stringValue ?? "internal"), bytes)
                }
                return Self.csv(MusterCSV.render(report))
            }
        }
        router.post("/api/console/muster.csv") { [self] request, _ in
            guard access.caller(request) != nil else { return Self.unauthorized() }
            guard let body = try? await request.body.collect(upTo: 8 << 20), let report = try? JSONText.parse(Array(buffer: body)) else {
                return Self.error(.badRequest, "invalid-request", "send the report muster.end returned, as JSON (at most 8 MiB)")
            }
            return Self.csv(MusterCSV.render(report["report"] ?? report["muster"] ?? report))
        }
        router.get("/api/:op") { [self] request, context in
            guard let caller = access.caller(request) else { return Self.unauthorized() }
            let op = context.parameters.get("op") ?? ""
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            do throws(RequestError) {
                return await controlResponse(try QueryRequest.build(op: op, query: query), caller: caller)
            } catch {
                return Self.error(.badRequest, error.code, error.message)
            }
        }
    }

    /// Asks the engine thread and shapes its answer: 503 when it does not answer in time.
    private func answer(_ work: ControlMailbox.Work, _ shape: ([UInt8]) throws -> Response) async -> Response {
        let bytes: [UInt8]
        do { bytes = try await engine.ask(work, timeoutS: options.engineTimeoutS) } catch {
            return Self.error(.serviceUnavailable, "unavailable", error.description)
        }
        do { return try shape(bytes) } catch {
            return Self.error(.internalServerError, "internal", "\(error)")
        }
    }

    private func controlResponse(_ request: Value, caller: Caller) async -> Response {
        do {
            let reply = try await engine.control(request, caller: caller, timeoutS: options.engineTimeoutS)
            let code = (try? JSONText.parse(reply))?["error"]?["code"]?.stringValue
            return Self.json(ReplyStatus.of(code: code), reply)
        } catch {
            return Self.error(.serviceUnavailable, "unavailable", error.description)
        }
    }

    /// 200 while the engine thread answers `ping` within 1 s and its store takes writes.
    func health() async -> Response {
        let started = ContinuousClock.now
        do {
            let reply = try JSONText.parse(try await engine.control(["op": "ping"], caller: Caller(name: "healthz", role: .viewer), timeoutS: 1))
            let took = (ContinuousClock.now - started) / .seconds(1)
            guard reply["store"]?["ok"]?.boolValue != false else {
                return Self.json(.serviceUnavailable, JSONText.encodeBytes([
                    "ok": false, "reason": .string("the store refuses writes: \(reply["store"]?["error"]?.stringValue ?? "unknown")"),
                ]))
            }
            return Self.json(.ok, JSONText.encodeBytes([
                "ok": true, "engine_s": .number(took.rounded(toPlaces: 4)), "site": reply["site"] ?? .null,
                "uptime_s": reply["uptime_s"] ?? .null, "store": reply["store"] ?? .null,
            ]))
        } catch {
            return Self.json(.serviceUnavailable, JSONText.encodeBytes(["ok": false, "reason": .string("\(error)")]))
        }
    }

    func metricsResponse() async -> Response {
        do {
            let snapshot = try await engine.ask(.inspect { p in JSONText.encodeBytes(p.metricsSnapshot(at: WallClock.now())) }, timeoutS: options.engineTimeoutS)
            let text = metrics.render(snapshot: (try? JSONText.parse(snapshot)) ?? .null, engineLagS: bridge.mailbox.engineLagSeconds)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: text)))
        } catch {
            return Self.error(.serviceUnavailable, "unavailable", error.description)
        }
    }

    // MARK: responses

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json(status, ReplyEncoder.error(code: code, message: message))
    }

    static func csv(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"muster.csv\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func unauthorized() -> Response {
        error(.unauthorized, "unauthorized", "send 'Authorization: Bearer TOKEN' with a token of --http-tokens-file (the WebSocket may use ?token=)")
    }
}
