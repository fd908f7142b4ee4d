import DRCore
import DRHTTP
import DRPolicy
import DRTestSupport
import DRWorker
import Foundation
import Synchronization

/// Shared pieces of the webhook tests: events, a notifier aimed at a loopback server,
/// a sleep that records instead of waiting, and an HMAC computed outside dr.
enum WebhookFixture {
  static let started = Date(timeIntervalSince1970: 1_740_794_400)
  static let finished = Date(timeIntervalSince1970: 1_740_794_404.25)

  static func event(
    _ outcome: WorkerEvent.Outcome = .failed, job: String = "backup", backupID: String? = nil,
    reason: String? = "pg_dump exited with status 1"
  ) -> WorkerEvent {
    WorkerEvent(
      policy: "prod", job: job, outcome: outcome, backupID: backupID, reason: reason, startedAt: started,
      finishedAt: finished, host: "worker-1", redactor: Redactor(registry: SecretRegistry()))
  }

  static func configuration(
    _ server: LoopbackHTTPServer, on: Set<NotifySettings.Event> = [.failure], secret: Secret? = nil,
    queueCapacity: Int = 100, retry: WebhookRetryPolicy = WebhookRetryPolicy()
  ) -> WebhookConfiguration {
    var configuration = WebhookConfiguration(
      url: server.baseURL + "/hooks/dr", on: on, secret: secret, queueCapacity: queueCapacity, retry: retry)
    configuration.http.noProxy = "*"
    return configuration
  }

  /// A notifier whose waits are recorded by `sleeps` and never taken.
  static func notifier(
    _ configuration: WebhookConfiguration, sleeps: SleepRecorder = SleepRecorder(),
    registry: SecretRegistry = SecretRegistry(), random: @escaping @Sendable () -> Double = { 1 }
  ) -> WebhookNotifier {
    WebhookNotifier(configuration: configuration, registry: registry, sleep: sleeps.sleep, random: random)
  }

  /// Lets the queue drain; generous, since a test that needs it fails on counts, not time.
  static func drain(_ notifier: WebhookNotifier) async {
    await notifier.shutdown(deadline: .now + .seconds(300))
  }

  /// A request body as a JSON object.
  static func json(_ request: LoopbackHTTPServer.Request) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] ?? [:]
  }

  /// Lowercase hex HMAC-SHA256 of `message` by the openssl command, not by DRCrypto.
  static func opensslHMAC(key: String, message: [UInt8]) async throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dr-webhook-\(UUID().uuidString)")
    try Data(message).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let output = try await ProcessRunner.run("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", key, "-r", file.path])
    guard output.status == 0 else { throw OpenSSLFailed(message: output.standardError) }
    return String(output.standardOutput.prefix { $0 != " " })
  }

  struct OpenSSLFailed: Error {
    let message: String
  }
}

/// The waits a notifier asked for, in order; returns at once so tests do not wait.
final class SleepRecorder: Sendable {
  private let recorded = Mutex<[Double]>([])

  var delays: [Double] { recorded.withLock { $0 } }

  var sleep: WebhookNotifier.Sleep {
    { [self] duration in record(duration) }
  }

  private func record(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    recorded.withLock { $0.append(Double(seconds) + Double(attoseconds) / 1e18) }
  }
}

/// Things that happened, from any thread, in the order they happened.
final class EventLog: Sendable {
  private let entries = Mutex<[String]>([])

  func append(_ entry: String) { entries.withLock { $0.append(entry) } }
  var all: [String] { entries.withLock { $0 } }
}

/// Answers with the statuses given, in turn, then 200s; counts what it answered.
final class StatusScript: Sendable {
  private let remaining: Mutex<[Int]>

  init(_ statuses: [Int]) {
    remaining = Mutex(statuses)
  }

  func next() -> LoopbackHTTPServer.Response {
    let status = remaining.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
    return LoopbackHTTPServer.Response(status: status, text: "status \(status)\n")
  }
}
