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
    let waiting = job.kind == .backup ? afterBackup.removeValue(forKey: job.policy) ?? [] : []
    if outcome.isSuccess {
      for next in followUps(of: job) where accepting {
        let now = clock.now
        if claim(next, at: now) { await execute(next, fire: fire, startedAt: now) }
      }
    }
    for (next, nextFire) in waiting where accepting {
      let now = clock.now
      if claim(next, at: now) { await execute(next, fire: nextFire, startedAt: now) }
    }
  }

  /// What runs after a successful run of `job`: prune and copy after a backup, copy
  /// after a verification (its record goes to the copies too).
  private func followUps(of job: Job) -> [Job] {
    let kinds: [JobKind] =
      switch job.kind {
      case .backup: [.prune, .copy]
      case .verify: [.copy]
      default: []
      }
    return kinds.compactMap { kind in jobs.first { $0.policy == job.policy && $0.kind == kind } }
  }
}
