import CordonCore
import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// `/metrics`: the names of docs/protocol.md, "HTTP" through swift-metrics into a Prometheus
/// registry of its own (one per server, so several can run in one test process).
///
/// Counters are the engine's own running totals, read at each scrape in one engine-thread
/// snapshot (``CordonService/Pipeline/metricsSnapshot(at:)``): the same numbers `ping` shows.
/// A swift-metrics counter only goes up, so each scrape adds what changed since the last.
public final class MetricsExporter: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let state = Mutex(State())
    /// Seconds from taking an ingest frame to publishing what it caused.
    let ingestToPublish: Recorder

    struct State {
        var totals: [String: Int] = [:]
        var gauges: Set<String> = []
    }

    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    public init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.valueHistogramBuckets["cordon_ingest_to_publish_seconds"] = Self.latencyBuckets
        factory = f
        ingestToPublish = Recorder(label: "cordon_ingest_to_publish_seconds", dimensions: [], aggregate: true, factory: f)
    }

    /// Engine thread: one observation (takes the registry's short lock, never waits on I/O).
    public func observeIngestToPublish(_ seconds: Double) {
        ingestToPublish.record(seconds)
    }

    private static func key(_ name: String, _ dims: [(String, String)]) -> String {
        name + "|" + dims.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
    }

    /// Brings the counters up to the snapshot's totals.
    private func total(_ name: String, _ dims: [(String, String)], _ value: Int) {
        let k = Self.key(name, dims)
        let delta = state.withLock { s -> Int in
            let d = value - (s.totals[k] ?? 0)
            if d > 0 { s.totals[k] = value }
            return d
        }
        let c = Counter(label: name, dimensions: dims, factory: factory)
        if delta > 0 { c.increment(by: delta) }
    }

    private func gauge(_ name: String, _ dims: [(String, String)], _ value: Double) {
        state.withLock { _ = $0.gauges.insert(Self.key(name, dims)) }
        Gauge(label: name, dimensions: dims, factory: factory).record(value)
    }

    /// Updates every metric from an engine snapshot and returns the exposition text (0.0.4).
    public func render(snapshot s: Value, engineLagS: Double) -> [UInt8] {
        let c = s["counters"] ?? .null
        for (type, n) in c["accepted"]?.objectValue ?? [:] {
            total("cordon_ingest_messages_total", [("type", type), ("result", "accepted")], n.intValue ?? 0)
        }
        total("cordon_ingest_messages_total", [("type", "position"), ("result", "stale")], c["stale"]?.intValue ?? 0)
        // ping counts late and rejected messages over all types: so does this.
        total("cordon_ingest_messages_total", [("type", "any"), ("result", "late")], c["late"]?.intValue ?? 0)
        let rejected = c["rejected"]?.objectValue ?? [:]
        total("cordon_ingest_messages_total", [("type", "any"), ("result", "rejected")], rejected.values.reduce(0) { $0 + ($1.intValue ?? 0) })
        for (reason, n) in rejected { total("cordon_rejected_total", [("reason", reason)], n.intValue ?? 0) }
        for family in ["violation", "cleared", "access", "muster"] {
            total("cordon_published_total", [("family", family)], c["published_by"]?[family]?.intValue ?? 0)
        }
        for (family, n) in c["published_by"]?.objectValue ?? [:] where !["violation", "cleared", "access", "muster"].contains(family) {
            total("cordon_published_total", [("family", family)], n.intValue ?? 0)
        }
        for (place, n) in c["dropped_by"]?.objectValue ?? [:] { total("cordon_dropped_total", [("where", place)], n.intValue ?? 0) }
        total("cordon_store_failures_total", [], c["store_failures"]?.intValue ?? 0)
        total("cordon_published_unstored_total", [], c["published_unstored"]?.intValue ?? 0)

        // Alarms: every kind and severity seen so far is reported, 0 once cleared.
        var seen: Set<String> = []
        for (k, n) in s["alarms"]?.objectValue ?? [:] {
            let parts = k.split(separator: "|").map(String.init)
            guard parts.count == 2 else { continue }
            let dims = [("kind", parts[0]), ("severity", parts[1])]
            seen.insert(Self.key("cordon_alarms_active", dims))
            gauge("cordon_alarms_active", dims, Double(n.intValue ?? 0))
        }
        let stale = state.withLock { $0.gauges.filter { $0.hasPrefix("cordon_alarms_active|") && !seen.contains($0) } }
        for k in stale {
            let dims = k.dropFirst("cordon_alarms_active|".count).split(separator: ",").compactMap { d -> (String, String)? in
                let kv = d.split(separator: "=", maxSplits: 1).map(String.init)
                return kv.count == 2 ? (kv[0], kv[1]) : nil
            }
            Gauge(label: "cordon_alarms_active", dimensions: dims, factory: factory).record(0)
        }
        gauge("cordon_tracked_subjects", [], Double(s["tracked"]?.intValue ?? 0))
        for kind in ["person", "vehicle"] {
            gauge("cordon_on_site", [("kind", kind)], Double(s["on_site"]?[kind]?.intValue ?? 0))
        }
        gauge("cordon_store_queue_depth", [], Double(s["store_queue_depth"]?.intValue ?? 0))
        gauge("cordon_store_ok", [], s["store_ok"]?.boolValue == false ? 0 : 1)
        // Forwarding, per destination (docs/forwarding.md).
        for d in s["forwarding"]?.arrayValue ?? [] {
            guard let id = d["id"]?.stringValue else { continue }
            let dims = [("destination", id)]
            gauge("cordon_forward_backlog", dims, Double(d["backlog"]?.intValue ?? 0))
            gauge("cordon_forward_oldest_age_seconds", dims, d["oldest_age_s"]?.numberValue ?? 0)
            total("cordon_forward_given_up_total", dims, d["given_up"]?.intValue ?? 0)
            total("cordon_forward_delivered_total", dims, d["delivered_since_start"]?.intValue ?? 0)
        }
        gauge("cordon_store_held_bytes", [], Double(s["store_held_bytes"]?.intValue ?? 0))
        gauge("cordon_engine_lag_seconds", [], engineLagS)
        return registry.emitToBuffer()
    }
}
