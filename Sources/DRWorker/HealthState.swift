import Foundation
import Synchronization

/// The worker's health, per policy, as `/healthz` reports it.
///
/// The worker's jobs write into it from many tasks while the HTTP server reads it, so the
/// records live behind one lock, held only to copy or change a value. The judgement itself
/// is `HealthEvaluation`, a pure function of the records and a date.
public final class HealthState: Sendable {
  private let records = Mutex<[String: PolicyRecord]>([:])

  public init() {}

  /// Watches a policy from the start, so `/healthz` names it before any job ran.
  public func register(policy: String, maxAge: TimeInterval?) {
    update(policy) { $0.maxAge = maxAge }
  }

  public func newestVerifiedBackup(policy: String, at: Date) {
    update(policy) { $0.newestVerified = at }
  }

  /// A `dr check --env` finished; `reason` says what failed.
  public func checkFinished(policy: String, environment: String, passed: Bool, reason: String?, at: Date) {
    update(policy) { $0.checks[environment] = CheckRecord(passed: passed, reason: reason, at: at) }
  }

  public func jobFailed(policy: String, job: String, reason: JobFailureReason, message: String, at: Date) {
    update(policy) { $0.lastFailure = FailureRecord(job: job, reason: reason, message: message, at: at) }
  }

  /// A job succeeded: the last failure is forgotten when it was the same job's.
  public func jobSucceeded(policy: String, job: String) {
    update(policy) { record in
      if record.lastFailure?.job == job { record.lastFailure = nil }
    }
  }

  /// A copy of the records, by policy name.
  public var snapshot: [String: PolicyRecord] { records.withLock { $0 } }

  public func evaluate(now: Date) -> HealthReport {
    HealthEvaluation.evaluate(snapshot, now: now)
  }

  private func update(_ policy: String, _ change: (inout PolicyRecord) -> Void) {
    records.withLock { change(&$0[policy, default: PolicyRecord()]) }
  }
}
