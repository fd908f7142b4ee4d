import DRCore
import Foundation
import Prometheus

/// What the worker records as its jobs finish. Times are parameters, never read here,
/// so a test records a known sequence and reads back exactly those values.
extension WorkerMetrics {
  /// A backup ended. A failed one records the attempt and its outcome and leaves the last
  /// success's gauges as they were: the growing age of
  /// `dr_backup_last_success_timestamp_seconds` is the alert.
  public func backupFinished(
    policy: String, succeeded: Bool, at: Date, durationSeconds: Double, sizeBytes: Int64? = nil
  ) {
    let labels = [("policy", policy)]
    advance(.backupLastAttempt, policy: policy, to: at)
    gauge(.backupLastOutcome, labels).set(to: succeeded ? 1 : 0)
    guard succeeded else { return }
    advance(.backupLastSuccess, policy: policy, to: at)
    gauge(.backupLastDuration, labels).set(to: durationSeconds)
    if let sizeBytes { gauge(.backupLastSize, labels).set(to: Double(sizeBytes)) }
  }

  /// A verification finished, passed or failed; `restoreSeconds` is nil when the restore never ran.
  public func verificationFinished(policy: String, passed: Bool, at: Date, restoreSeconds: Double? = nil) {
    let labels = [("policy", policy)]
    gauge(.verifyLastOutcome, labels).set(to: passed ? 1 : 0)
    advance(.verifyLastTimestamp, policy: policy, to: at)
    if passed { advance(.verifyLastSuccess, policy: policy, to: at) }
    if let restoreSeconds { gauge(.verifyLastRestore, labels).set(to: restoreSeconds) }
  }

  /// The newest backup of the policy that passed a verification was taken `at`.
  /// Its age is computed at each scrape.
  public func newestVerifiedBackup(policy: String, at: Date) {
    advance(.newestVerifiedTimestamp, policy: policy, to: at)
    rememberNewestVerified(policy: policy, at: at)
  }

  /// What the bucket says of a policy (read at start, and again until a read succeeds):
  /// its last successful backup and verification. Only moves the gauges forward; the
  /// last outcomes stay those of this worker's own runs.
  public func bucketRecords(policy: String, lastBackup: Date?, lastVerification: Date?) {
    if let lastBackup {
      advance(.backupLastSuccess, policy: policy, to: lastBackup)
      advance(.backupLastAttempt, policy: policy, to: lastBackup)
    }
    if let lastVerification { advance(.verifyLastSuccess, policy: policy, to: lastVerification) }
  }

  /// The policy's bucket answered a read at `at`.
  public func bucketRead(policy: String, at: Date) {
    advance(.bucketLastRead, policy: policy, to: at)
  }

  /// A `dr check --env` of one environment finished.
  public func checkFinished(policy: String, environment: String, passed: Bool, at: Date) {
    let labels = [("policy", policy), ("environment", environment)]
    gauge(.checkOK, labels).set(to: passed ? 1 : 0)
    gauge(.checkLastTimestamp, labels).set(to: at.timeIntervalSince1970)
  }

  /// A scheduled job failed; the reason is a category, so the label has five values at most.
  public func jobFailed(policy: String, job: String, reason: JobFailureReason) {
    counter(.jobFailures, [("policy", policy), ("job", job), ("reason", reason.rawValue)]).increment()
  }

  /// A scheduled job was due while its previous run was still going, and did not start.
  public func jobSkipped(policy: String, job: String) {
    counter(.jobSkipped, [("policy", policy), ("job", job)]).increment()
  }

  /// A scheduled job ran to an end. Failed runs are counted here and, with their reason,
  /// by `jobFailed`.
  public func jobRan(policy: String, job: String, outcome: RunOutcome) {
    counter(.jobRuns, [("policy", policy), ("job", job), ("outcome", outcome.rawValue)]).increment()
  }
}
