import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /metrics`, `/healthz`, `/livez` and `/readyz` of `dr worker`, as a swift-service-lifecycle `Service`
/// the worker puts in its `ServiceGroup` next to the schedules.
///
/// It wraps a Hummingbird `Application` rather than exposing one so that a failure to bind
/// reaches the operator as one sentence that says which address and what to pass instead,
/// not as a NIO error.
public struct WorkerHTTPServer: Service {
  public static let defaultHost = "127.0.0.1"
  /// Not in Prometheus' default port allocations (9187 there is postgres_exporter's).
  public static let defaultPort = 17187

  public let host: String
  public let port: Int
  let metrics: WorkerMetrics
  let health: HealthState
  let readiness: ReadinessState
  /// A bucket read older than this makes `/readyz` fail.
  let readinessStaleAfter: TimeInterval
  let logger: Logger
  /// The time `/healthz` judges against.
  let clock: @Sendable () -> Date
  /// Called with the bound port once the server accepts connections.
  let onListening: @Sendable (Int) async -> Void

  /// - Parameters:
  ///   - port: 0 lets the kernel choose; `onListening` receives the port it chose.
  ///   - onListening: called once the server accepts connections; tests wait on it instead of sleeping.
  public init(
    metrics: WorkerMetrics, health: HealthState, readiness: ReadinessState = ReadinessState(),
    readinessStaleAfter: TimeInterval = 180, host: String = defaultHost, port: Int = defaultPort,
    logger: Logger, clock: @escaping @Sendable () -> Date = { Date() },
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.metrics = metrics
    self.health = health
    self.readiness = readiness
    self.readinessStaleAfter = readinessStaleAfter
    self.host = host
    self.port = port
    self.logger = logger
    self.clock = clock
    self.onListening = onListening
  }

  /// Serves until the service group shuts down gracefully; throws `WorkerHTTPServerError`
  /// when it cannot listen.
  public func run() async throws {
    do {
      try await application().run()
    } catch let error as IOError {
      throw WorkerHTTPServerError(.cannotListen(host: host, port: port, reason: Self.reason(error.errnoCode)))
    } catch is SocketAddressError, is SocketAddressError.UnknownHost {
      throw WorkerHTTPServerError(.cannotListen(host: host, port: port, reason: "no such address"))
    }
  }

  /// The Hummingbird application: the routes, bound to `host:port`.
  func application() -> some ApplicationProtocol {
    let onListening = onListening
    let port = port
    return Application(
      router: router(),
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
      logger: logger)
  }

  static func reason(_ code: CInt) -> String {
    switch code {
    case EADDRINUSE: WorkerHTTPServerError.addressInUse
    case EADDRNOTAVAIL: "no such address on this machine"
    case EACCES: "permission denied"
    default: String(cString: strerror(code))
    }
  }
}
