import DRCore
import DRPolicy
import Foundation
import Logging

/// Tells everyone how a job went: one log event at its start and end (policy, job,
/// backup ID, duration, outcome), `/metrics`, `/healthz`, and the policy's webhook. Also
/// the scheduler's observer, for the runs it skipped because the last one still ran.
struct JobReporter: SchedulerObserver {
  let metrics: WorkerMetrics
  let health: HealthState
  let notifiers: [String: WebhookNotifier]
  let variables: [String: String]
  let logger: Logger

  func started(_ job: Job, fire: Date) {
    logger.info(
      "job started",
      metadata: ["policy": "\(job.policy)", "job": "\(job.kind.name)", "fire": "\(fire.formatted(.iso8601))"])
  }

  func jobSkipped(_ job: Job, reason: SkipReason, at date: Date) {
    metrics.jobSkipped(policy: job.policy, job: job.kind.name)
    logger.warning(
      "job skipped", metadata: ["policy": "\(job.policy)", "job": "\(job.kind.name)", "reason": "\(reason)"])
  }

  func finished(_ job: Job, policy: Policy, result: JobExecutor.Result, startedAt: Date, finishedAt: Date) async {
    var metadata: Logger.Metadata = [
      "policy": "\(job.policy)", "job": "\(job.kind.name)",
      "duration_seconds": .stringConvertible((finishedAt.timeIntervalSince(startedAt) * 10).rounded() / 10),
    ]
    switch result {
    case .skipped(let reason):
      metrics.jobSkipped(policy: job.policy, job: job.kind.name)
      metadata["outcome"] = "skipped"
      metadata["reason"] = "\(reason)"
      logger.info("job skipped", metadata: metadata)
    case .failed(let reason):
      failed(job, reason: reason, status: nil, category: nil, at: finishedAt, startedAt: startedAt, metadata: &metadata)
    case .lost(let reason):
      metrics.jobRan(policy: job.policy, job: job.kind.name, outcome: .lost)
      metadata["outcome"] = "lost"
      metadata["reason"] = "\(reason.redacted)"
      logger.warning("job lost", metadata: metadata)
      notify(job, outcome: .lost, backupID: nil, reason: reason, startedAt: startedAt, finishedAt: finishedAt)
    case .ran(let report):
      if let id = report.backupID { metadata["backup_id"] = "\(id)" }
      if let code = report.errorCode { metadata["error_code"] = "\(code)" }
      if report.interrupted {
        metrics.jobRan(policy: job.policy, job: job.kind.name, outcome: .cancelled)
        metadata["outcome"] = "interrupted"
        logger.warning("job interrupted", metadata: metadata)
      } else if report.inconclusive {
        inconclusive(job, report: report, at: finishedAt, startedAt: startedAt, metadata: &metadata)
      } else if report.succeeded {
        await succeeded(job, policy: policy, report: report, at: finishedAt, startedAt: startedAt)
        metadata["outcome"] = "succeeded"
        logger.info("job finished", metadata: metadata)
      } else {
        let reason = report.reason ?? "exit status \(report.status)"
        recordFailedRun(job, report: report, at: finishedAt)
        failed(
          job, reason: reason, status: report.status, category: report.category, at: finishedAt,
          startedAt: startedAt, metadata: &metadata)
      }
    }
  }

  private func succeeded(_ job: Job, policy: Policy, report: JobReport, at: Date, startedAt: Date) async {
    metrics.jobRan(policy: job.policy, job: job.kind.name, outcome: .succeeded)
    health.jobSucceeded(policy: job.policy, job: job.kind.name)
    let duration = report.durationSeconds ?? at.timeIntervalSince(startedAt)
    switch job.kind {
    case .backup:
      metrics.backupFinished(
        policy: job.policy, succeeded: true, at: at, durationSeconds: duration, sizeBytes: report.sizeBytes)
    case .verify:
      metrics.verificationFinished(policy: job.policy, passed: true, at: at, restoreSeconds: report.restoreSeconds)
      await refreshNewestVerified(policy)
    case .check(let environment):
      metrics.checkFinished(policy: job.policy, environment: environment, passed: true, at: at)
      health.checkFinished(policy: job.policy, environment: environment, passed: true, reason: nil, at: at)
    case .prune, .copy:
      break
    }
    notify(job, outcome: .succeeded, backupID: report.backupID, reason: nil, startedAt: startedAt, finishedAt: at)
  }

  /// A verification its host or settings kept from finishing: counted and sent as its own
  /// kind; the backup's verification state (and `dr_verify_last_outcome`) is left as it was.
  private func inconclusive(
    _ job: Job, report: JobReport, at: Date, startedAt: Date, metadata: inout Logger.Metadata
  ) {
    let reason = report.reason ?? "exit status \(report.status)"
    metrics.jobRan(policy: job.policy, job: job.kind.name, outcome: .inconclusive)
    health.jobFailed(
      policy: job.policy, job: job.kind.name, reason: FailureCategory(message: reason, exitStatus: nil),
      message: "inconclusive: \(reason)", at: at)
    metadata["outcome"] = "inconclusive"
    metadata["reason"] = "\(reason.redacted)"
    logger.warning("job inconclusive", metadata: metadata)
    notify(job, outcome: .inconclusive, backupID: report.backupID, reason: reason, startedAt: startedAt, finishedAt: at)
  }

  /// The gauges of a run that ended in failure (a failed verification, a failed check).
  private func recordFailedRun(_ job: Job, report: JobReport, at: Date) {
    switch job.kind {
    case .verify:
      metrics.verificationFinished(policy: job.policy, passed: false, at: at, restoreSeconds: report.restoreSeconds)
    case .check(let environment):
      metrics.checkFinished(policy: job.policy, environment: environment, passed: false, at: at)
      health.checkFinished(policy: job.policy, environment: environment, passed: false, reason: report.reason, at: at)
    case .backup, .prune, .copy:
      break
    }
  }

  /// `category` is the child's own when it said it; else the text and status tell.
  private func failed(
    _ job: Job, reason: String, status: Int32?, category knownCategory: FailureCategory?, at: Date, startedAt: Date,
    metadata: inout Logger.Metadata
  ) {
    let category = knownCategory ?? JobFailureReason(message: reason, exitStatus: status)
    if case .backup = job.kind {
      metrics.backupFinished(
        policy: job.policy, succeeded: false, at: at, durationSeconds: at.timeIntervalSince(startedAt))
    }
    metrics.jobRan(policy: job.policy, job: job.kind.name, outcome: .failed)
    metrics.jobFailed(policy: job.policy, job: job.kind.name, reason: category)
    health.jobFailed(policy: job.policy, job: job.kind.name, reason: category, message: reason, at: at)
    metadata["outcome"] = "failed"
    metadata["reason"] = "\(reason.redacted)"
    logger.error("job failed", metadata: metadata)
    notify(job, outcome: .failed, backupID: nil, reason: reason, startedAt: startedAt, finishedAt: at)
  }

  private func notify(
    _ job: Job, outcome: WorkerEvent.Outcome, backupID: String?, reason: String?, startedAt: Date, finishedAt: Date
  ) {
    notifiers[job.policy]?.notify(
      WorkerEvent(
        policy: job.policy, job: job.kind.name, outcome: outcome, backupID: backupID, reason: reason,
        startedAt: startedAt, finishedAt: finishedAt))
  }

  /// Reads the newest verified backup from the bucket for `/metrics` and `/healthz`.
  func refreshNewestVerified(_ policy: Policy) async {
    guard let date = try? await LastSuccess(policy: policy, variables: variables).newestVerifiedBackup() else { return }
    recordNewestVerified(policy.name, at: date)
  }

  func recordNewestVerified(_ policy: String, at date: Date) {
    metrics.newestVerifiedBackup(policy: policy, at: date)
    health.newestVerifiedBackup(policy: policy, at: date)
  }
}
