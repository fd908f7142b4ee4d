import DRCore
import FoundationEssentials

/// What the worker tells the outside world when a job ends: the JSON body of a webhook.
///
/// Every field is meant to leave the machine, so nothing secret may be in one: there is no
/// field for credentials or URLs, and the only free text, `reason`, is redacted when the
/// event is made (and again by `WebhookNotifier` before it is sent).
///
/// On the wire the keys are snake_case and the times ISO 8601 UTC with milliseconds,
/// whatever the `JSONEncoder`'s settings, so receivers see one format:
///
/// ```json
/// {"event": "backup.failed", "policy": "prod", "job": "backup", "outcome": "failed",
///  "reason": "pg_dump exited with status 1", "started_at": "2025-03-01T02:00:00.000Z",
///  "finished_at": "2025-03-01T02:00:04.250Z", "duration_seconds": 4.25,
///  "host": "worker-1", "dr_version": "0.1.0"}
/// ```
public struct WorkerEvent: Codable, Sendable, Equatable {
  public enum Outcome: String, Codable, Sendable {
    case succeeded, failed
    /// Stopped because another worker took the run's lease over (`backup.lost`); sent
    /// with failures: a storage blip or a second scheduler is worth a look.
    case lost
    /// A verification the verifier's own host or settings kept from finishing
    /// (`verify.inconclusive`); sent with failures.
    case inconclusive
  }

  /// `<job>.<outcome>`: `backup.failed`, `verify.succeeded`, `check:failover.failed`.
  public var event: String
  public var policy: String
  /// `backup`, `verify`, `prune`, `check:<environment>`.
  public var job: String
  public var outcome: Outcome
  public var backupID: String?
  /// Why the job failed (or a short note on success); redacted.
  public var reason: String?
  @MillisecondTime public var startedAt: Date
  @MillisecondTime public var finishedAt: Date
  /// `finishedAt - startedAt`, in seconds, to the millisecond.
  public var durationSeconds: Double
  public var host: String
  public var drVersion: String

  /// An event for a job that ran from `startedAt` to `finishedAt`; `reason` goes through
  /// `redactor` here, so an event never holds a registered secret.
  public init(
    policy: String, job: String, outcome: Outcome, backupID: String? = nil, reason: String? = nil,
    startedAt: Date, finishedAt: Date, host: String = WorkerEvent.localHost, redactor: Redactor = Redactor()
  ) {
    event = "\(job).\(outcome.rawValue)"
    self.policy = policy
    self.job = job
    self.outcome = outcome
    self.backupID = backupID
    self.reason = reason.map(redactor.redact)
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    durationSeconds = (finishedAt.timeIntervalSince(startedAt) * 1000).rounded() / 1000
    self.host = host
    drVersion = DRVersion.current
  }

  /// This machine's name, as receivers tell workers apart.
  public static var localHost: String { ProcessInfo.processInfo.hostName }

  /// The same event with its free text redacted (again) by `redactor`.
  public func redacted(by redactor: Redactor) -> WorkerEvent {
    var copy = self
    copy.reason = reason.map(redactor.redact)
    return copy
  }
}

extension WorkerEvent {
  enum CodingKeys: String, CodingKey {
    case event, policy, job, outcome, reason, host
    case backupID = "backup_id"
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case durationSeconds = "duration_seconds"
    case drVersion = "dr_version"
  }

  /// The JSON body a webhook sends: keys sorted, so the same event is the same bytes.
  func jsonBody() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(self))
  }
}
