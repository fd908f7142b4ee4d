import DRCore
import DRTestSupport
import Foundation
import Testing

/// `dr worker` with the canary secrets: what it shows outside while its catch-up runs
/// happen, on a wrong database password and on the right one.
extension SecretLeakTests {
  /// Two workers, each on a prefix of its own, so every scheduled job is overdue at start:
  /// one on a wrong database password, stopped once its runs' failures reached the webhook,
  /// then one on the right secrets, stopped once its backup, prune, verification and check
  /// did. Returns what they showed: standard output and error, /metrics, /healthz and /readyz.
  func workerOutputs(_ canaries: SecretCanaries, delivery: Delivery, hook: LoopbackHTTPServer) async throws
    -> [(String, String)]
  {
    var outputs: [(String, String)] = []
    for failing in [true, false] {
      let prefix = failing ? "failing-worker" : "worker"
      let policy = canaries.directory + "/\(prefix).yaml"
      try policyText(canaries, delivery: delivery, hook: hook.baseURL, workerPrefix: prefix).write(
        toFile: policy, atomically: true, encoding: .utf8)
      var environment = ProcessInfo.processInfo.environment
      let overrides = try self.environment(canaries, delivery: delivery)
        .merging(failing ? wrong(.database, canaries, delivery) : [:]) { $1 }
      for (name, value) in overrides { environment[name] = value }
      // Each job's event; the outcome too where it is certain. The failing worker's
      // verification has nothing to verify, and the failover check fails in both (nothing
      // listens on the stack's port): any outcome of those will do.
      let expected =
        failing
        ? ["backup.failed", "verify", "check:failover"]
        : ["backup.succeeded", "prune.succeeded", "verify.succeeded", "check:failover"]
      let flags = failing ? ["--verbose", "--log-format", "human"] : ["--verbose", "--log-format", "json"]
      outputs += try await runWorker(
        "dr worker (\(prefix))", policy: policy, environment: environment, flags: flags, hook: hook, until: expected)
    }
    return outputs
  }

  /// Runs `dr worker` until the webhook has had, since it started, an event matching each
  /// of `expected` (`job.outcome`, or a job name for any outcome), fetches /metrics,
  /// /healthz and /readyz (which quotes why a bucket read failed), stops it with SIGTERM,
  /// and returns what it showed.
  func runWorker(
    _ label: String, policy: String, environment: [String: String], flags: [String], hook: LoopbackHTTPServer,
    until expected: [String]
  ) async throws -> [(String, String)] {
    let before = hook.requests.count
    let worker = try WorkerFixture.start(policyFile: policy, environment: environment, flags)
    var events: [String] = []
    try await worker.waitUntil("\(label): webhook events \(expected)") {
      events = hook.requests.dropFirst(before).compactMap(Self.event)
      return expected.allSatisfy { wanted in events.contains { $0 == wanted || $0.hasPrefix(wanted + ".") } }
    }
    let metrics = try await worker.get("/metrics").standardOutput
    let health = try await worker.get("/healthz").standardOutput
    let readiness = try await worker.get("/readyz").standardOutput
    #expect(metrics.contains("dr_job_runs_total"), "\(label): \(metrics)\nevents: \(events)")
    let ended = await worker.stop()
    let log = await worker.log()
    #expect(ended == .exited(0), "\(label): \(ended)\n\(log)\n\(worker.process.standardError)")
    #expect(!log.isEmpty, "\(label): no log")
    return [
      ("\(label): standard output", log), ("\(label): standard error", worker.process.standardError),
      ("\(label): /metrics", metrics), ("\(label): /healthz", health), ("\(label): /readyz", readiness),
    ]
  }

  /// A webhook request as the receiver sees it: request line, headers, body.
  static func text(of request: LoopbackHTTPServer.Request) -> String {
    var lines = ["\(request.method) \(request.target)"]
    lines += request.headers.map { "\($0.name): \($0.value)" }
    lines.append(request.bodyText)
    return lines.joined(separator: "\n")
  }

  /// The `event` of a webhook request's JSON body (`backup.failed`).
  static func event(_ request: LoopbackHTTPServer.Request) -> String? {
    let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
    return object?["event"] as? String
  }
}
