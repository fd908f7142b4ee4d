import DRCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `dr worker` as swift-service-lifecycle services: the schedules, and `/metrics`,
/// `/healthz`, `/livez` and `/readyz` over HTTP. SIGTERM and SIGINT end it gracefully (no new runs; running jobs
/// get the grace period, then are stopped cleanly; the HTTP server stops last, so the
/// final state can be scraped until then); SIGHUP reloads the policies. Exits 0 after a
/// graceful end.
public enum WorkerService {
  /// Loads the policies (an invalid one fails here, exit 2) and runs until a signal ends it.
  public static func run(configuration: WorkerConfiguration, logger: Logger) async throws {
    let policies = try PolicySet.load(files: try configuration.policyFiles(), environment: configuration.variables)
    let metrics = WorkerMetrics(revision: configuration.buildRevision)
    let health = HealthState()
    let readiness = ReadinessState()
    let runtime = WorkerRuntime(
      configuration: configuration, policies: policies, metrics: metrics, health: health, readiness: readiness,
      logger: logger)
    await runtime.prepare()
    let server = WorkerHTTPServer(
      metrics: metrics, health: health, readiness: readiness, readinessStaleAfter: configuration.readinessStaleAfter,
      host: configuration.listenHost, port: configuration.listenPort, logger: logger,
      onListening: { port in
        logger.info(
          "metrics on http://\(configuration.listenHost):\(port)/metrics, health on /healthz, /livez and /readyz")
      })
    let group = ServiceGroup(
      configuration: .init(
        services: [
          .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup),
          .init(service: SchedulesService(runtime: runtime), successTerminationBehavior: .gracefullyShutdownGroup),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
  }
}

/// The schedules as a service: runs until graceful shutdown, reloading on SIGHUP.
struct SchedulesService: Service {
  let runtime: WorkerRuntime

  func run() async throws {
    await runtime.start()
    let reloads = await UnixSignalsSequence(trapping: .sighup)
    await withDiscardingTaskGroup { group in
      group.addTask {
        for await _ in reloads.cancelOnGracefulShutdown() { await runtime.reload() }
      }
      await withGracefulShutdownHandler {
        await runtime.waitUntilStopped()
      } onGracefulShutdown: {
        Task { await runtime.stop() }
      }
      group.cancelAll()
    }
  }
}
