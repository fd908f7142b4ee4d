// swift-tools-version: 6.0
import PackageDescription

// One concern per target; the executable only parses arguments and calls libraries.
// System libraries come from Debian: libpq-dev, libbz2-dev, libzstd-dev, libcurl4-openssl-dev, libssl-dev.
// Every target imports exactly what it declares (scripts/check-imports, MemberImportVisibility).
let log = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
  name: "dr",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "dr", targets: ["dr"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
  ],
  targets: [
    // C libraries, through header-only shims.
    .systemLibrary(name: "CDRLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CDRBZip2", providers: [.apt(["libbz2-dev"])]),
    .systemLibrary(name: "CDRZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CDRCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(name: "CDRSystem"),
    .systemLibrary(name: "CDROpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

    // Shared core: errors, redaction of secrets, logging, blocking-work bridge.
    .target(name: "DRCore", dependencies: ["CDRSystem", log]),
    // Hashing and HMAC through OpenSSL's libcrypto.
    .target(name: "DRCrypto", dependencies: ["DRCore", "CDROpenSSL"]),
    // Pure SigV4: canonical request, string to sign, signing key, header and query signing.
    .target(name: "DRSigV4", dependencies: ["DRCore", "DRCrypto"]),
    // libcurl transfers: pooled easy handles, streaming bodies, on threads of their own.
    .target(name: "DRHTTP", dependencies: ["DRCore", "CDRCurl"]),
    // S3 operations, multipart uploads, XML errors, retries, the credentials chain.
    .target(name: "DRS3", dependencies: ["DRCore", "DRCrypto", "DRSigV4", "DRHTTP", log]),
    // Leases in the bucket: taken conditionally, renewed with fencing (If-Match), lost when taken over.
    .target(
      name: "DRLease", dependencies: ["DRCore", "DRS3", log]),
    // Policy models, YAML loading, validation with precise errors.
    .target(name: "DRPolicy", dependencies: ["DRCore", "Yams"]),
    // libpq sessions and the PostgreSQL client tools.
    .target(
      name: "DRPostgres", dependencies: ["DRCore", "CDRLibPQ", log]),
    // A policy's storage settings, connected: S3 clients with their credentials and options.
    .target(name: "DRStorage", dependencies: ["DRPolicy", "DRS3", "DRHTTP"]),
    // The backup pipeline, manifests, the catalogue (list, retention, prune).
    .target(
      name: "DRBackup",
      dependencies: [
        "DRCore", "DRCrypto", "DRPolicy", "DRPostgres", "DRS3", "DRStorage", "DRCompression", "DRLease", log,
      ]),
    // A backup fetched, checked, decrypted, decompressed and restored; which backup; what a killed dr left.
    .target(
      name: "DRRestore",
      dependencies: [
        "DRCore", "DRCrypto", "DRPolicy", "DRPostgres", "DRS3", "DRStorage", "DRCompression", "DRBackup", log,
      ]),
    // Test restores into scratch targets, and their records.
    .target(
      name: "DRVerify",
      dependencies: [
        "DRCore", "DRPolicy", "DRPostgres", "DRS3", "DRStorage", "DRBackup", "DRRestore", log,
      ]),
    // The restore-verification report: its data and its renderers.
    .target(name: "DRReport", dependencies: ["DRCore", "DRS3", "DRPolicy", "DRPostgres", "DRStorage", "DRBackup"]),
    // The failover: stack model, the pure planner, drivers (local, juju).
    .target(
      name: "DRFailover",
      dependencies: [
        "DRCore", "DRCrypto", "DRPolicy", "DRPostgres", "DRS3", "DRStorage", "DRBackup", "DRRestore", "DRHTTP", log,
      ]),
    // dr check: is a policy usable right now?
    .target(
      name: "DRPreflight",
      dependencies: [
        "DRCore", "DRCrypto", "DRPolicy", "DRPostgres", "DRHTTP", "DRS3", "DRStorage", "DRBackup", "DRRestore",
        "DRFailover",
      ]),
    // Parallel bzip2 and zstd as independent streams; parallel and serial decoders.
    .target(name: "DRCompression", dependencies: ["DRCore", "CDRBZip2", "CDRZstd"]),

    // dr worker: schedules, the service's lifecycle, metrics and health over HTTP, webhooks.
    .target(
      name: "DRWorker",
      dependencies: [
        "DRCore", "DRCrypto", "DRHTTP", "DRPolicy", "DRS3", "DRStorage", "DRBackup", "DRVerify", "DRFailover",
        "DRPreflight", "DRLease", log,
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]),

    .executableTarget(
      name: "dr",
      dependencies: [
        "DRCore", "DRPolicy", "DRHTTP", "DRS3", "DRStorage", "DRPreflight", "DRBackup", "DRRestore", "DRVerify",
        "DRReport", "DRFailover", "DRWorker", log,
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["DRRevisionPlugin"]
    ),
    // The git commit dr is built from, for `dr --version` and dr_build_info: read from .git
    // at build time without network or a git program ("unknown" without .git).
    .executableTarget(name: "DRRevisionTool"),
    .plugin(name: "DRRevisionPlugin", capability: .buildTool(), dependencies: ["DRRevisionTool"]),

    // Test helpers: the real services' coordinates, running the dr binary, the fixtures
    // suites share (a backed-up database and its bucket, a worker, an encrypted backup).
    .target(
      name: "DRTestSupport",
      dependencies: [
        "DRCore", "DRCrypto", "DRHTTP", "DRPostgres", "DRS3", "DRPolicy", "DRStorage", "DRBackup", log,
      ], path: "Sources/DRTestSupport"),

    .testTarget(name: "DRCoreTests", dependencies: ["DRCore", log]),
    .testTarget(name: "DRCryptoTests", dependencies: ["DRCrypto", "DRCore"]),
    .testTarget(name: "DRSigV4Tests", dependencies: ["DRSigV4"], resources: [.copy("Fixtures")]),
    .testTarget(name: "DRPolicyTests", dependencies: ["DRPolicy", "DRCore"]),
    .testTarget(name: "DRHTTPTests", dependencies: ["DRHTTP", "DRCore", "DRTestSupport"]),
    .testTarget(name: "DRS3Tests", dependencies: ["DRS3", "DRHTTP", "DRCore", "DRCrypto", "DRTestSupport"]),
    .testTarget(
      name: "DRLeaseTests",
      dependencies: [
        "DRLease", "DRS3", "DRTestSupport", log,
      ]),
    .testTarget(
      name: "DRPostgresTests",
      dependencies: ["DRPostgres", "DRCore", "DRTestSupport", log]),
    .testTarget(
      name: "DRCommandTests",
      dependencies: [
        "dr", "DRCore", "DRCrypto", "DRS3", "DRPolicy", "DRPostgres", "DRBackup", "DRFailover", "DRLease", "DRWorker",
        "DRTestSupport",
      ]),
    .testTarget(name: "DRFaultProxyTests", dependencies: ["DRTestSupport"]),
    .testTarget(
      name: "DRFailoverTests",
      dependencies: ["DRFailover", "DRCore", "DRPolicy", "DRPostgres", "DRBackup", "DRTestSupport", log]),
    .testTarget(
      name: "DRRestoreTests",
      dependencies: ["DRRestore", "DRBackup", "DRCore", "DRPolicy", "DRPostgres", "DRTestSupport", log]),
    .testTarget(name: "DRVerifyTests", dependencies: ["DRVerify", "DRBackup", "DRPolicy", "DRTestSupport", log]),
    .testTarget(
      name: "DRPreflightTests",
      dependencies: [
        "DRPreflight", "DRBackup", "DRCore", "DRHTTP", "DRFailover", "DRRestore", "DRVerify", "DRTestSupport",
      ]),
    .testTarget(name: "DRStorageTests", dependencies: ["DRStorage", "DRPolicy", "DRS3", "DRTestSupport"]),
    .testTarget(name: "DRReportTests", dependencies: ["DRReport", "DRBackup"]),
    .testTarget(
      name: "DRBackupTests",
      dependencies: ["DRBackup", "DRCompression", "DRCore", "DRCrypto", "DRLease", "DRPolicy", "DRPostgres"]),
    .testTarget(name: "DRCompressionTests", dependencies: ["DRCompression", "DRCore", "DRTestSupport"]),
    .testTarget(
      name: "DRWorkerTests",
      dependencies: [
        "DRWorker", "DRPolicy", "DRCore", "DRHTTP", "DRS3", "DRBackup", "DRLease", "DRPreflight", "DRVerify",
        "DRTestSupport", log, .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(
      name: "DRHardDatabaseTests",
      dependencies: ["DRTestSupport", "DRCore", "DRPostgres", log]),
  ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
  target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
