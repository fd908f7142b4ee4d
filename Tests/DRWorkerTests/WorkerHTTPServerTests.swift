import DRCore
import DRWorker
import Foundation
import Testing

/// The real server on 127.0.0.1, inside a `ServiceGroup`, asked with curl.
struct WorkerHTTPServerTests {
  static let now = Date(timeIntervalSince1970: 1_764_072_000)

  static func observed() -> (WorkerMetrics, HealthState) {
    let metrics = WorkerMetrics(startedAt: now - 600, clock: { now })
    metrics.newestVerifiedBackup(policy: "summit", at: now - 3 * 3_600)
    metrics.jobRan(policy: "summit", job: "backup", outcome: .succeeded)
    let health = HealthState()
    health.register(policy: "summit", maxAge: 26 * 3_600)
    health.newestVerifiedBackup(policy: "summit", at: now - 3 * 3_600)
    return (metrics, health)
  }

  @Test func servesMetricsAndHealthThenStopsGracefully() async throws {
    let (metrics, health) = Self.observed()
    let port = try LoopbackPort.free()
    let server = try await RunningWorkerServer.start(metrics: metrics, health: health, port: port) { Self.now }
    #expect(server.port == port)

    let scraped = try await server.get("/metrics")
    #expect(scraped.status == 200)
    #expect(scraped.contentType == "text/plain; version=0.0.4; charset=utf-8")
    let exposition = try Exposition.parse(scraped.body)
    #expect(exposition.value("dr_newest_verified_backup_age_seconds", ["policy": "summit"]) == 10_800)
    #expect(
      exposition.value("dr_job_runs_total", ["policy": "summit", "job": "backup", "outcome": "succeeded"]) == 1)

    let healthy = try await server.get("/healthz")
    #expect(healthy.status == 200)
    #expect(healthy.contentType == "text/plain; charset=utf-8")
    #expect(healthy.body == "ok\nsummit: ok: newest verified backup 3h old (max_age 26h)\n")

    health.checkFinished(
      policy: "summit", environment: "dr-site", passed: false, reason: "port 5432 is taken", at: Self.now - 60)
    let unhealthy = try await server.get("/healthz")
    #expect(unhealthy.status == 503)
    #expect(
      unhealthy.body == "unhealthy\nsummit: check --env dr-site failed 60s ago: port 5432 is taken: "
        + "run dr check --policy summit --env dr-site and fix what it reports\n")

    #expect(try await server.get("/nothing-here").status == 404)
    #expect(try await server.get("/metrics/more").status == 404)
    try await server.stop()
  }

  /// /livez answers while the process serves; /readyz follows the cached bucket reads, and
  /// each probe reads only that cache.
  @Test func livezAndReadyzAnswerFromWhatTheWorkerKnows() async throws {
    let (metrics, health) = Self.observed()
    let readiness = ReadinessState()
    readiness.loaded(policies: ["summit"])
    let server = try await RunningWorkerServer.start(
      metrics: metrics, health: health, readiness: readiness, port: 0
    ) { Self.now }
    let live = try await server.get("/livez")
    #expect(live.status == 200 && live.body == "ok\n")
    let unread = try await server.get("/readyz")
    #expect(unread.status == 503)
    #expect(unread.body == "not ready\nsummit: its bucket has not been read yet\n")
    readiness.bucketRead(policy: "summit", succeeded: true, at: Self.now - 30)
    let ready = try await server.get("/readyz")
    #expect(ready.status == 200)
    #expect(ready.body == "ready\nsummit: ok: bucket read 30s ago\n")
    readiness.bucketRead(policy: "summit", succeeded: false, problem: "403 AccessDenied", at: Self.now)
    #expect(try await server.get("/readyz").status == 503)
    #expect(try await server.get("/livez").status == 200)
    try await server.stop()
  }

  @Test func aTakenPortIsAClearError() async throws {
    let (metrics, health) = Self.observed()
    let first = try await RunningWorkerServer.start(metrics: metrics, health: health, port: 0) { Self.now }
    let second = WorkerHTTPServer(
      metrics: metrics, health: health, port: first.port, logger: RunningWorkerServer.quiet)
    let error = await #expect(throws: WorkerHTTPServerError.self) { try await second.run() }
    #expect(error?.description == "cannot listen on 127.0.0.1:\(first.port): address in use; pass --listen ADDR:PORT")
    #expect(error?.isAddressInUse == true)
    #expect(error?.exitStatus == .failure)
    try await first.stop()
  }
}
