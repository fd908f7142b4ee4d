import Foundation

extension Scheduler {
  /// Starts `job` in a child task unless a run of it is still going.
  func start(_ job: Job, fire: Date, in group: inout DiscardingTaskGroup) {
    let now = clock.now
    guard claim(job, at: now) else { return }
    group.addTask { await self.execute(job, fire: fire, startedAt: now) }
  }

  /// Marks `job` running and reports the start, or counts and reports the skip when a
  /// run of it is still going.
  private func claim(_ job: Job, at now: Date) -> Bool {
    if let since = running[job.name] {
      skipped[job.name, default: 0] += 1
      observer.jobSkipped(job, reason: .stillRunning(since: since), at: now)
      return false
    }
    running[job.name] = now
    observer.jobStarted(job, at: now)
    return true
  }

  /// Runs a claimed job to its outcome, then the policy's prune after a successful backup.
  private func execute(_ job: Job, fire: Date, startedAt: Date) async {
    let outcome = await runner(job, fire)
    running[job.name] = nil
    observer.jobFinished(job, outcome: outcome, startedAt: startedAt, finishedAt: clock.now)
    guard job.kind == .backup else { return }
    let waiting = afterBackup.removeValue(forKey: job.policy) ?? []
    if outcome.isSuccess, accepting, let prune = pruneJob(of: job.policy) {
      let now = clock.now
      if claim(prune, at: now) { await execute(prune, fire: fire, startedAt: now) }
    }
    for (next, nextFire) in waiting where accepting {
      let now = clock.now
      if claim(next, at: now) { await execute(next, fire: nextFire, startedAt: now) }
    }
  }

  private func pruneJob(of policy: String) -> Job? {
    jobs.first { $0.policy == policy && $0.kind == .prune }
  }
}
