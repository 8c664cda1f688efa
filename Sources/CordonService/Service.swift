import CordonCore
import CordonStore
import Logging
import ZeroMQ

/// `cordon serve`: the three sockets of docs/protocol.md, "Transport" around one engine thread.
///
/// One thread owns the engine, the sockets and the pipeline; it polls ingest and control,
/// ticks the clock-driven rules, and stores the live state of moving subjects once a second. No locks are
/// needed because nothing else touches them; the instance is Sendable only so that it can be
/// handed to the thread that runs it.
public final class Service: @unchecked Sendable {
    public let config: ServiceConfig
    let logger: Logger
    let context: ZMQContext
    let ingest: Socket
    let events: Socket
    let control: Socket
    public let pipeline: Pipeline
    /// Lets in only the allowed CURVE clients, when CURVE is on.
    var authenticator: ZAPAuthenticator?
    /// The addresses actually bound (useful with `tcp://127.0.0.1:*`).
    public private(set) var boundIngest = ""
    public private(set) var boundEvents = ""
    public private(set) var boundControl = ""
    /// How long each class of record is kept (the site file's `cordon.retention`).
    public let retention: RetentionPolicy

    /// Loads the site, opens the store, rebuilds the engine from it, and binds the sockets.
    public init(config: ServiceConfig, logger: Logger = Logger(label: "cordon.serve")) throws(ServiceError) {
        MallocTuning.applied
        self.config = config
        self.logger = logger
        let curve = config.curveSecretKey != nil
        if curve && config.curveClients.isEmpty {
            throw .curve("CURVE needs the public keys of the clients to let in (--curve-allowed-keys-file)")
        }
        for e in [config.ingest, config.events, config.control] where !curve && !config.allowInsecureBind && !ServiceConfig.isLocal(e) {
            throw .insecureBind(e)
        }
        let site: Site
        do { site = try SiteFile.load(path: config.sitePath) } catch { throw .site(error) }
        do { retention = try RetentionPolicy(site: site.document) } catch { throw .retention("\(error)") }
        let hold: HoldBudget
        do { hold = try HoldBudget(site: site.document) } catch { throw .storeSettings("\(error)") }
        let forwarding: ForwardingConfig
        do { forwarding = try ForwardingConfig.load(site: site.document, file: config.forwardingFile) } catch { throw .forwarding("\(error)") }
        let store: Store?
        if config.withoutStore {
            store = nil
        } else {
            do { store = try Store(directory: config.dataDirectory) } catch { throw .store("\(error)") }
        }
        do {
            context = try ZMQContext()
            ingest = try context.socket(.pull)
            events = try context.socket(.pub)
            control = try context.socket(.rep)
            try ingest.setReceiveHighWaterMark(100_000)
            // ZeroMQ drops frames past 16× the limit before they are read (a memory guard); those
            // between the limit and that are read, counted and kept as `too-large` dead letters.
            try ingest.setMaxMessageSize(config.maxFrameBytes * 16)
            try events.setSendHighWaterMark(100_000)
            for s in [ingest, events, control] { try s.setLinger(0) }
            if let key = config.curveSecretKey {
                // ZAP first: a CURVE server without a handler would let any key in. Each socket
                // has its own ZAP domain, so the handler knows which one a client asks for.
                let clients = config.curveClients
                authenticator = try ZAPAuthenticator(context: context) { request in
                    guard let client = clients[request.clientKey], let socket = Role.Socket(rawValue: request.domain) else { return false }
                    return client.role.may(use: socket)
                }
                for (s, name) in [(ingest, Role.Socket.ingest), (events, .events), (control, .control)] {
                    try s.setZAPDomain(name.rawValue)
                    try s.curveServer(secretKey: key)
                }
            }
        } catch {
            throw .socket(endpoint: "-", reason: "\(error)")
        }
        let engine = Engine(site: site, registry: Registry(), start: WallClock.now())
        let zmqSink = ZMQEventSink(socket: events)
        let sink: any EventSink = config.httpBridge.map { TeeEventSink(primary: zmqSink, feed: $0.feed) } ?? zmqSink
        pipeline = Pipeline(engine: engine, store: store, sink: sink, sitePath: config.sitePath,
                            maxFrameBytes: config.maxFrameBytes, hold: hold, forwarding: forwarding, logger: logger, observePublish: config.httpBridge?.ingestToPublish)
        pipeline.maxFutureSkewS = config.maxFutureSkewS
        pipeline.enforcesLiveHorizon = true
        pipeline.keepsJournal = !config.withoutJournal
        if let bridge = config.httpBridge { pipeline.positionTap = PositionTap(feed: bridge.feed, frame: engine.site.frame) }
        do {
            try pipeline.restoreFromStore()
        } catch {
            throw .store("cannot rebuild the engine from \(config.dataDirectory): \(error)")
        }
        func bind(_ s: Socket, _ e: String) throws(ServiceError) -> String {
            do {
                try s.bind(e)
                return (try? s.lastEndpoint) ?? e
            } catch {
                throw .socket(endpoint: e, reason: "\(error)")
            }
        }
        boundIngest = try bind(ingest, config.ingest)
        boundEvents = try bind(events, config.events)
        boundControl = try bind(control, config.control)
        logger.info("site \(site.id): \(site.zones.count) zones; registry \(engine.registry.count.people) people, \(engine.registry.count.vehicles) vehicles; \(engine.alarms.active.count) alarms restored")
        logger.info("ingest \(boundIngest), events \(boundEvents), control \(boundControl)")
    }

    /// Runs until `stop` is set. Returns after flushing the store and saving the state.
    public func run(until stop: StopFlag) {
        let poller = Poller()
        let ingestIndex = poller.register(ingest)
        let controlIndex = poller.register(control)
        // The HTTP side's requests.
        let mailbox = config.httpBridge?.mailbox
        let mailboxIndex = mailbox.map { poller.register(fileDescriptor: $0.fileDescriptor) }
        var lastTick = WallClock.monotonic()
        var lastSnapshot = lastTick
        let sweeper = pipeline.store.map { s in
            RetentionSweeper(store: s, policy: retention, onSweep: { [logger] deleted, error in
                let total = deleted.values.reduce(0, +)
                if total > 0 { logger.info("retention: deleted \(deleted.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", "))") }
                if let error { logger.error("retention sweep stopped early: \(error)") }
            })
        }
        let tickInterval = Double(config.tickMilliseconds) / 1000
        while !stop.isSet {
            let ready: [Int]
            do {
                ready = try poller.poll(timeoutMilliseconds: min(100, config.tickMilliseconds))
            } catch let e as ZMQError where e.isInterrupted {
                continue
            } catch {
                logger.error("poll failed: \(error)")
                break
            }
            if ready.contains(ingestIndex) { drainIngest() }
            if ready.contains(controlIndex) { answerControl() }
            if let mailbox, let mailboxIndex, ready.contains(mailboxIndex) { mailbox.serve(pipeline) }
            // A store that starts or stops refusing writes raises or clears `store-failing`
            // within one turn of this loop (at most 100 ms).
            pipeline.observeStoreHealth(at: WallClock.now())
            // A message given up for a platform raises forwarding-failed just as soon.
            pipeline.observeForwarding(at: WallClock.now())
            let mono = WallClock.monotonic()
            if mono - lastTick >= tickInterval {
                lastTick = mono
                pipeline.tick(to: WallClock.now())
            }
            if mono - lastSnapshot >= config.journalSeconds {
                lastSnapshot = mono
                pipeline.commitJournal(periodic: true)
            }
        }
        logger.info("stopping: flushing the store and saving state")
        sweeper?.close()
        pipeline.close()
        ingest.close()
        events.close()
        control.close()
        authenticator?.stop()
        context.shutdown()
    }

    /// Handles what is waiting on ingest in a bounded slice, by count and by time, so that
    /// control requests and ticks are never starved by a flood: a frame may hold a hundred
    /// positions, and 4,096 such frames would keep `ping` waiting for a second.
    ///
    /// Frames read back to back share one commit (a group commit across frames): it is closed
    /// when the socket has nothing more, when ``groupCommitSeconds`` have passed since the
    /// group's first frame, or when it holds ``groupCommitEvents``. Under a flood a commit
    /// then carries many frames' events instead of one's; at a steady pace the socket empties
    /// after each frame and every frame is committed, then published, at once.
    private func drainIngest() {
        let now = WallClock.now()
        let sliceStart = WallClock.monotonic()
        let sliceEnd = sliceStart + Self.ingestSliceSeconds
        var groupStart = sliceStart
        defer { pipeline.commitPending() }
        for i in 0..<4096 {
            let mono = WallClock.monotonic()
            if i > 0, mono >= sliceEnd { return }
            if mono - groupStart >= Self.groupCommitSeconds || pipeline.pendingCount >= Self.groupCommitEvents {
                pipeline.commitPending()
                groupStart = mono
            }
            // The store's queue is full: wait for it to catch up (the disk is slower than the
            // engine for a while). A store that refuses writes never holds ingest back: its
            // events go out marked not stored and are held (EventCommitter).
            if pipeline.mustWait { pipeline.waitForRoom() }
            do {
                let got: Bool? = try ingest.receive(dontWait: true) { buffer, _ in
                    pipeline.ingest(frame: buffer, receivedAt: now, deferringCommit: true)
                    return true
                }
                if got == nil { return }
            } catch {
                logger.warning("ingest receive failed: \(error)")
                return
            }
        }
    }

    /// Who sent a control request: with CURVE, the client of the key the ZAP handler let in;
    /// without, whoever reached the loopback socket, named by their address.
    private func caller(_ properties: [String: String]) -> Caller {
        guard config.curveSecretKey != nil else { return .local(peer: properties["Peer-Address"]) }
        // ZAP let the key in, so it is listed; an unlisted one would be a bug, and gets the least.
        guard let key = properties["User-Id"], let client = config.curveClients[key] else {
            return Caller(name: "unknown key", role: .ingest)
        }
        return Caller(name: client.name, role: client.role)
    }

    /// The longest ingest runs before control and the clock get their turn.
    static let ingestSliceSeconds = 0.005

    /// The longest a frame's events wait for the frames after it to share their commit.
    static let groupCommitSeconds = 0.002

    /// Events beyond which a group is committed at once.
    static let groupCommitEvents = 1024

    private func answerControl() {
        do {
            guard let (frames, properties) = try control.receiveMessage(dontWait: true, properties: ["User-Id", "Peer-Address"]) else { return }
            // A REP socket must answer every request, or its client is stuck for good.
            let request = frames.first ?? []
            let reply = pipeline.control(bytes: request, at: WallClock.now(), caller: caller(properties))
            pipeline.commitJournal()
            _ = try control.send(reply)
        } catch {
            logger.warning("control request failed: \(error)")
        }
    }
}
