import DRCore
import DRWorker
import Foundation
import Logging
import ServiceLifecycle

/// The real server in a `ServiceGroup` on a free loopback port, and curl to ask it.
struct RunningWorkerServer {
  let port: Int
  let group: ServiceGroup
  let run: Task<Void, any Error>

  static let quiet = Logger(label: "dr.worker.test") { _ in SwiftLogNoOpLogHandler() }

  /// Starts the server and returns once it accepts connections: `onListening` says so,
  /// and the stream ends early if the group stops first, so nothing waits on a clock.
  static func start(
    metrics: WorkerMetrics, health: HealthState, readiness: ReadinessState = ReadinessState(), port: Int,
    clock: @escaping @Sendable () -> Date
  ) async throws -> RunningWorkerServer {
    let (listening, continuation) = AsyncStream.makeStream(of: Int.self)
    let server = WorkerHTTPServer(
      metrics: metrics, health: health, readiness: readiness, port: port, logger: quiet, clock: clock,
      onListening: { continuation.yield($0) })
    let group = ServiceGroup(configuration: .init(services: [server], logger: quiet))
    let run = Task {
      defer { continuation.finish() }
      try await group.run()
    }
    var iterator = listening.makeAsyncIterator()
    guard let bound = await iterator.next() else {
      try await run.value
      throw SystemError("the worker's HTTP server stopped before it listened")
    }
    return RunningWorkerServer(port: bound, group: group, run: run)
  }

  /// Graceful shutdown, then the group's run returns (or throws what stopped it).
  func stop() async throws {
    await group.triggerGracefulShutdown()
    try await run.value
  }

  struct Reply {
    let status: Int
    let contentType: String
    let body: String
  }

  /// GET with /usr/bin/curl; `--max-time` only bounds a hung test, it asserts nothing.
  func get(_ path: String) async throws -> Reply {
    let marker = "\n--dr-test--"
    let output = try await ProcessRunner.run(
      "/usr/bin/curl",
      [
        "--silent", "--show-error", "--noproxy", "*", "--max-time", "30", "--write-out",
        "\(marker)%{http_code} %{content_type}", "http://127.0.0.1:\(port)\(path)",
      ])
    guard output.status == 0, let split = output.standardOutput.range(of: marker, options: .backwards) else {
      throw SystemError("curl \(path) exited \(output.status): \(output.standardError)")
    }
    let trailer = output.standardOutput[split.upperBound...]
    let status = Int(trailer.prefix { $0 != " " }) ?? 0
    let contentType = String(trailer.drop { $0 != " " }.dropFirst())
    return Reply(status: status, contentType: contentType, body: String(output.standardOutput[..<split.lowerBound]))
  }
}
