// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/apple/swift-evolution/blob/main/proposals/0444-member-import-visibility.md:
    // a file sees the members of a module only if it imports that module itself.
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The engine, the wire format, the geometry and the service's pipeline touch their state a
/// dozen times per position: in release builds the runtime's exclusivity checks
/// (`swift_beginAccess`, about 5 % of a replay in the engine alone) are left out there. Debug builds, which every test runs, keep them, and
/// the compile-time checks stay on everywhere (docs/performance.md).
let hotPathSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "cordon",
    products: [
        .executable(name: "cordon", targets: ["cordon"]),
        .library(name: "CordonCore", targets: ["CordonCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.6.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // System libraries. libzmq's pkg-config file adds a flag SwiftPM refuses, so the
        // module map links it by name instead.
        .systemLibrary(
            name: "CZeroMQ",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .systemLibrary(
            name: "CGEOS",
            providers: [.apt(["libgeos-dev"])]
        ),
        // OpenSSL's libcrypto for SM4-CBC (the `mem` forwarding profile), never a hand-written cipher.
        .systemLibrary(
            name: "COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),

        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: swiftSettings),
        .target(name: "Geometry", dependencies: ["CGEOS"], swiftSettings: hotPathSettings),
        .target(name: "CordonCore", dependencies: ["Geometry"], swiftSettings: hotPathSettings),
        .target(name: "CordonWire", dependencies: ["CordonCore"], swiftSettings: hotPathSettings),
        .target(
            name: "CordonStore",
            dependencies: [
                "CordonCore", "CordonWire", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CordonService",
            dependencies: [
                "CordonCore", "CordonWire", "CordonStore", "ZeroMQ", "Geometry", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                // Forwarding: HTTP(S) destinations and their message signatures.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                // JT/T 809 links to the transport authorities' platforms.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // HTTP methods and headers of forwarding requests (async-http-client speaks them).
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: hotPathSettings
        ),
        // The console, the JSON API, /healthz and /metrics over HTTP, beside the engine.
        // The demo's and the tests' traffic: people, trucks and incidents on a site, as ingest
        // messages and control requests. Reads the site and the wire format, nothing of the service.
        .target(
            name: "CordonSimulation",
            dependencies: ["CordonCore", "CordonWire", "Geometry"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CordonHTTP",
            dependencies: [
                "CordonCore", "CordonWire", "CordonService", "Geometry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cordon",
            dependencies: [
                "CordonCore", "CordonWire", "CordonStore", "CordonService", "CordonHTTP", "CordonSimulation", "ZeroMQ",
                "Geometry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Counts the allocations of a position that changes nothing (`make allocations`).
        .executableTarget(
            name: "allocation-probe",
            dependencies: [
                "CordonCore", "CordonService", "Geometry",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            path: "Benchmarks/AllocationProbe",
            swiftSettings: swiftSettings
        ),

        // What the tests that start processes share: `ChildProcess` (posix_spawn, every wait
        // with a deadline), in place of Foundation's `Process`.
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        .target(name: "CordonTestSupport", dependencies: ["CSpawn", "CordonCore", "CordonService"], path: "Tests/CordonTestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: swiftSettings),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"], swiftSettings: swiftSettings),
        // CordonTestSupport for requests routed by the service's table of ops, as operators send them.
        .testTarget(name: "CordonCoreTests", dependencies: ["CordonCore", "Geometry", "CordonTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CordonWireTests", dependencies: ["CordonWire", "CordonCore"], swiftSettings: swiftSettings),
        .testTarget(name: "CordonStoreTests", dependencies: ["CordonStore", "CordonCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CordonServiceTests",
            dependencies: [
                "CordonService", "CordonSimulation", "CordonWire", "CordonCore", "CordonStore", "ZeroMQ", "CordonTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Receivers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CordonHTTPTests",
            dependencies: [
                "CordonHTTP", "CordonService", "CordonStore", "CordonCore", "ZeroMQ", "CordonTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Python helpers the tests run: prometheus-client's parser, a PNG pixel reader.
            exclude: ["parse_metrics.py", "png_pixels.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["CordonService", "CordonWire", "CordonCore", "Geometry", "CordonTestSupport"],
            swiftSettings: swiftSettings
        ),

        // The bodies of the fuzz harnesses (docs/fuzzing.md), a plain library: FuzzCorpusTests
        // runs them over the seeds and past findings in every `make test`.
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CordonService", "CordonWire", "CordonCore", "CordonStore", "Geometry",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "fuzz/Sources/FuzzSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzSupport"], swiftSettings: swiftSettings),
    ]
)

// libFuzzer harnesses (docs/fuzzing.md), declared only for `make fuzz`. A harness has no `main`:
// libFuzzer's own comes in with `--sanitize=fuzzer`, so an ordinary `swift build` could not
// link one. `make fuzz` sets CORDON_FUZZ=1 and builds them in `.build-fuzz`.
if Context.environment["CORDON_FUZZ"] == "1" {
    for harness in ["FuzzIngest", "FuzzControl", "FuzzSite"] {
        package.targets.append(.executableTarget(
            name: harness,
            dependencies: ["FuzzSupport"],
            path: "fuzz/Sources/\(harness)",
            swiftSettings: swiftSettings
        ))
        package.products.append(.executable(name: harness, targets: [harness]))
    }
}
