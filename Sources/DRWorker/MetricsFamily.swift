import Prometheus

/// A metric's name and help text, declared once.
///
/// The registry refuses a second registration of a name with a different help text,
/// so every recording goes through these constants and the two can never drift apart.
/// Names follow Prometheus conventions: a `dr_` prefix, the unit as a suffix
/// (`_seconds`, `_bytes`), `_total` on counters.
struct MetricsFamily: Sendable {
  let name: String
  let help: String

  /// The full name is written out above so that it can be searched for; its unit is
  /// already its suffix, so the descriptor's own unit stays empty.
  var descriptor: MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
  }

  static let backupLastSuccess = Self(
    name: "dr_backup_last_success_timestamp_seconds",
    help: "When the policy's last successful backup finished, in seconds since the Unix epoch; 0 when none is known.")
  static let backupLastAttempt = Self(
    name: "dr_backup_last_attempt_timestamp_seconds",
    help:
      "When the policy's last backup ended, succeeded or failed, in seconds since the Unix epoch; 0 when none is known."
  )
  static let backupLastOutcome = Self(
    name: "dr_backup_last_outcome",
    help: "The policy's last backup run by this worker: 1 succeeded, 0 failed, -1 none since the worker started.")
  static let backupLastDuration = Self(
    name: "dr_backup_last_duration_seconds",
    help: "How long the policy's last successful backup took, in seconds.")
  static let backupLastSize = Self(
    name: "dr_backup_last_size_bytes",
    help: "The stored size of the policy's last successful backup, in bytes.")
  static let verifyLastOutcome = Self(
    name: "dr_verify_last_outcome",
    help: "The policy's last verification run by this worker: 1 passed, 0 failed, -1 none since the worker started.")
  static let verifyLastSuccess = Self(
    name: "dr_verify_last_success_timestamp_seconds",
    help: "When the policy's last passed verification ran, in seconds since the Unix epoch; 0 when none is known.")
  static let verifyLastRestore = Self(
    name: "dr_verify_last_restore_seconds",
    help: "How long the restore of the policy's last verification took, in seconds.")
  static let verifyLastTimestamp = Self(
    name: "dr_verify_last_timestamp_seconds",
    help:
      "When the policy's last verification by this worker finished, passed or failed, in seconds since the Unix epoch; 0 when none."
  )
  static let newestVerifiedTimestamp = Self(
    name: "dr_newest_verified_backup_timestamp_seconds",
    help:
      "When the policy's newest verified backup was taken, in seconds since the Unix epoch; 0 when none is known "
      + "(also before the bucket was first read: see dr_bucket_last_read_success_timestamp_seconds).")
  static let bucketLastRead = Self(
    name: "dr_bucket_last_read_success_timestamp_seconds",
    help: "When the worker last read the policy's bucket successfully, in seconds since the Unix epoch; 0 when never.")
  static let newestVerifiedAge = Self(
    name: "dr_newest_verified_backup_age_seconds",
    help: "How old the policy's newest verified backup is at scrape time, in seconds.")
  static let checkOK = Self(
    name: "dr_failover_check_ok",
    help: "The last dr check --env of the policy's environment: 1 passed, 0 failed.")
  static let checkLastTimestamp = Self(
    name: "dr_failover_check_last_timestamp_seconds",
    help: "When the last dr check --env of the policy's environment finished, in seconds since the Unix epoch.")
  static let jobRuns = Self(
    name: "dr_job_runs_total",
    help: "Scheduled jobs run, by policy, job and outcome.")
  static let jobFailures = Self(
    name: "dr_job_failures_total",
    help: "Scheduled jobs failed, by policy, job and reason category.")
  static let jobSkipped = Self(
    name: "dr_job_skipped_total",
    help: "Scheduled jobs skipped because the previous run of the same job was still going.")
  static let buildInfo = Self(
    name: "dr_build_info",
    help: "Always 1; the labels say which dr this is: its version and the git commit it was built from.")
  static let workerStart = Self(
    name: "dr_worker_start_timestamp_seconds",
    help: "When this worker started, in seconds since the Unix epoch.")
}
