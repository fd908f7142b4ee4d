import Foundation

/// Told what the scheduler does, for logs, metrics and webhooks. Called synchronously on
/// the scheduler's executor, so implementations must be quick and must not block: hand
/// slow work (a webhook) to a task of its own.
public protocol SchedulerObserver: Sendable {
  func jobStarted(_ job: Job, at date: Date)
  func jobFinished(_ job: Job, outcome: JobOutcome, startedAt: Date, finishedAt: Date)
  func jobSkipped(_ job: Job, reason: SkipReason, at date: Date)
}

extension SchedulerObserver {
  public func jobStarted(_ job: Job, at date: Date) {}
  public func jobFinished(_ job: Job, outcome: JobOutcome, startedAt: Date, finishedAt: Date) {}
  public func jobSkipped(_ job: Job, reason: SkipReason, at date: Date) {}
}

/// Observes nothing.
public struct NoSchedulerObserver: SchedulerObserver {
  public init() {}
}
