import DRBackup
import DRCore
import DRPolicy
import DRStorage
import Foundation
import Logging

/// Carries out a plan with a driver, step by step, each checked before the next, and
/// measures it: every step's time, the total (the RTO) and the backup's age (the RPO).
/// Stops at the first failed step, saying what to do; the record goes to the bucket.
public struct FailoverRunner: Sendable {
  public let context: FailoverContext
  public let driver: any FailoverDriver
  /// `failover` or `drill`.
  public let kind: String
  public let logger: Logger

  public init(
    context: FailoverContext, driver: any FailoverDriver, kind: String, logger: Logger = Logger(label: "dr.failover")
  ) {
    self.context = context
    self.driver = driver
    self.kind = kind
    self.logger = logger
  }

  /// `progress` gets a line as each step starts and ends.
  public func run(_ plan: FailoverPlan, progress: @Sendable (String) -> Void) async throws -> FailoverRecord {
    guard let backup = plan.backup else {
      throw FailoverError(
        .noBackup, "no complete backup in \(context.storage.location) for \(context.environment.name)")
    }
    let started = Date()
    let clock = ContinuousClock.now
    var steps: [FailoverRecord.Step] = []
    var failure: (any Error)?
    for (index, step) in plan.steps.enumerated() {
      progress("[\(index + 1)/\(plan.steps.count)] \(step.name): \(step.action)")
      let stepClock = ContinuousClock.now
      do {
        let detail = try await driver.execute(step)
        let seconds = (ContinuousClock.now - stepClock).seconds
        steps.append(.init(name: step.name, seconds: seconds, outcome: "ok", detail: detail))
        progress(String(format: "      ok in %.1f s (estimate %.1f s): ", seconds, step.estimateSeconds) + detail)
      } catch {
        steps.append(
          .init(
            name: step.name, seconds: (ContinuousClock.now - stepClock).seconds, outcome: "failed", detail: "\(error)"))
        progress("      FAILED: \(error)")
        failure = error
        break
      }
    }
    let record = FailoverRecord(
      kind: kind, environment: context.environment.name, driver: plan.driver, backup: backup.id, startedAt: started,
      finishedAt: Date(), outcome: failure == nil ? "completed" : "failed", steps: steps,
      rtoSeconds: (ContinuousClock.now - clock).seconds, rpoSeconds: started.timeIntervalSince(backup.startedAt),
      estimateSeconds: plan.estimateSeconds)
    do {
      try await Task.detached { try await context.write(record) }.value
    } catch {
      logger.warning("could not write the \(kind) record to the bucket: \(error)")
    }
    if let failure { throw FailedRun(record: record, cause: failure) }
    return record
  }

  /// A run that stopped at a step: the record so far, and the cause.
  public struct FailedRun: DRError {
    public let record: FailoverRecord
    public let cause: any Error
    public var exitStatus: ExitStatus {
      (cause as? any DRError)?.exitStatus == .interrupted
        ? .interrupted
        : (cause as? any DRError)?.exitStatus == .terminated ? .terminated : .failure
    }
    public var category: FailureCategory { FailureCategory(of: cause) }
    /// The cause's own code: the step's error says what went wrong.
    public var errorCode: String { (cause as? any DRError)?.errorCode ?? "failover.step" }
    public var description: String {
      let step = record.steps.last?.name ?? "a step"
      return "the \(record.kind) stopped at \(step): \(cause)".redacted
    }
  }
}
