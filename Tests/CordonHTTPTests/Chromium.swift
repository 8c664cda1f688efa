import CordonCore
import CordonTestSupport
import CordonWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdWSClient
import Logging
import Synchronization
import NIOWebSocket

/// Debian's headless Chromium, driven through the DevTools protocol over its WebSocket. No
/// network but loopback: every other host resolves to nothing.
final class Chromium: @unchecked Sendable {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let process: ChildProcess
    let profile: String
    let port: Int
    /// The browser target's DevTools path (the second line of DevToolsActivePort).
    var browserPath = ""

    init() throws {
        guard let path = Self.path else { throw HarnessFailure("chromium is not installed: make test installs it (apt-get install chromium)") }
        profile = TestDirectory.make("chromium")
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        process = try ChildProcess(path, [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1280,800",
            "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile)", "about:blank",
        ])
        let file = profile + "/DevToolsActivePort"
        var found: Int?
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count >= 2, let p = Int(lines[0]) {
                    found = p
                    browserPath = String(lines[1])
                    break
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let found else {
            process.kill()
            throw HarnessFailure("chromium did not open its DevTools port within 15 s")
        }
        port = found
    }

    func stop() {
        // SIGTERM, and the whole process group killed if it lingers (its renderers and helpers).
        _ = process.stop(SIGTERM, within: 10)
        process.kill()
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Runs `body` with a DevTools session on a new page.
    func withPage<R: Sendable>(_ body: @escaping @Sendable (DevTools) async throws -> R) async throws -> R {
        // The browser target, then a page attached in flat mode (commands carry its session id).
        let ws = "ws://127.0.0.1:\(port)\(browserPath)"
        let result = Mutex<Result<R, any Error>?>(nil)
        var config = WebSocketClientConfiguration()
        config.maxFrameSize = 1 << 26
        _ = try await WebSocketClient.connect(url: ws, configuration: config, logger: Logger(label: "cdp")) { inbound, outbound, _ in
            let tools = DevTools(outbound: outbound)
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 27) {
                        guard case .text(let text) = message, let v = try? JSONText.parse(text) else { continue }
                        tools.received(v)
                    }
                }
                do {
                    let target = try await tools.call("Target.createTarget", ["url": "about:blank"])
                    guard let id = target["targetId"]?.stringValue else { throw HarnessFailure("no target: \(target)") }
                    let attached = try await tools.call("Target.attachToTarget", ["targetId": .string(id), "flatten": true])
                    guard let session = attached["sessionId"]?.stringValue else { throw HarnessFailure("no session: \(attached)") }
                    tools.session.withLock { $0 = session }
                    let r = try await body(tools)
                    result.withLock { $0 = .success(r) }
                } catch {
                    result.withLock { $0 = .failure(error) }
                }
                group.cancelAll()
                try? await outbound.close(.normalClosure, reason: nil)
            }
        }
        guard let r = result.withLock({ $0 }) else { throw HarnessFailure("the DevTools session ended early") }
        return try r.get()
    }
}

/// One page's DevTools session: calls by id, events kept.
final class DevTools: Sendable {
    let outbound: WebSocketOutboundWriter
    private let pending = Mutex<[Int: CheckedContinuation<Value, any Error>]>([:])
    private let nextID = Atomic<Int>(0)
    /// Every URL the page asked for (Network.requestWillBeSent).
    let requested = Mutex<[String]>([])
    /// The page's session once attached; nil talks to the browser.
    let session = Mutex<String?>(nil)

    init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    func received(_ v: Value) {
        if let id = v["id"]?.intValue {
            let k = pending.withLock { $0.removeValue(forKey: id) }
            if let e = v["error"] { k?.resume(throwing: HarnessFailure("DevTools: \(JSONText.encode(e))")) } else { k?.resume(returning: v["result"] ?? .null) }
        } else if v["method"]?.stringValue == "Network.requestWillBeSent", let url = v["params"]?["request"]?["url"]?.stringValue {
            requested.withLock { $0.append(url) }
        }
    }

    @discardableResult
    func call(_ method: String, _ params: Value = [:]) async throws -> Value {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        var message: [String: Value] = ["id": .int(id), "method": .string(method), "params": params]
        if let session = session.withLock({ $0 }) { message["sessionId"] = .string(session) }
        let text = JSONText.encode(.object(message))
        return try await withCheckedThrowingContinuation { k in
            pending.withLock { $0[id] = k }
            Task {
                do { try await outbound.write(.text(text)) } catch {
                    let k = pending.withLock { $0.removeValue(forKey: id) }
                    k?.resume(throwing: error)
                }
            }
        }
    }

    /// Evaluates a JavaScript expression (promises awaited) and returns its value as JSON.
    func evaluate(_ expression: String) async throws -> Value {
        let r = try await call("Runtime.evaluate", ["expression": .string(expression), "returnByValue": true, "awaitPromise": true])
        if let e = r["exceptionDetails"] { throw HarnessFailure("page: \(JSONText.encode(e))") }
        return r["result"]?["value"] ?? .null
    }

    /// Waits until the expression is true, at most `seconds`; the time it took.
    func waitFor(_ expression: String, seconds: Double = 10) async throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if (try? await evaluate("!!(\(expression))"))?.boolValue == true { return Date().timeIntervalSince(start) }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw HarnessFailure("the page never showed: \(expression)")
    }

    /// A PNG of the page, written to `path`.
    func screenshot(to path: String) async throws {
        let r = try await call("Page.captureScreenshot", ["format": "png"])
        guard let b64 = r["data"]?.stringValue, let data = Data(base64Encoded: b64) else { throw HarnessFailure("no screenshot") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
