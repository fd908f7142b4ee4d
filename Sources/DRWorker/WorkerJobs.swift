import DRPolicy
import Foundation

/// The scheduler's two functions for a policy set: each job's last success (from the
/// bucket), and a run (a `dr` child through the shared lease, reported everywhere).
struct WorkerJobs: Sendable {
  let policies: PolicySet
  let executor: JobExecutor
  let reporter: JobReporter
  let variables: [String: String]

  /// The `dr` arguments of a job (the worker adds `--json --policy FILE`).
  static func arguments(_ kind: JobKind) -> [String] {
    switch kind {
    case .backup: ["backup"]
    case .verify: ["verify"]
    case .prune: ["prune"]
    case .copy: ["copy"]
    case .check(let environment): ["check", "--env", environment]
    }
  }

  func lastSuccess(_ job: Job) async -> Date? {
    guard let entry = policies.entry(named: job.policy) else { return nil }
    let reader = LastSuccess(policy: entry.policy, variables: variables)
    switch job.kind {
    case .backup: return try? await reader.backup()
    case .verify: return try? await reader.verification()
    case .prune, .copy: return nil
    case .check(let environment): return try? await reader.check(environment: environment)
    }
  }

  func run(_ job: Job, fire: Date) async -> JobOutcome {
    guard let entry = policies.entry(named: job.policy) else {
      return .skipped(reason: "policy \(job.policy) is no longer loaded")
    }
    let request = JobRequest(
      policy: entry.policy, policyFile: entry.file, job: job.kind.name, arguments: Self.arguments(job.kind), fire: fire)
    reporter.started(job, fire: fire)
    let started = Date()
    let result = await executor.execute(request)
    await reporter.finished(job, policy: entry.policy, result: result, startedAt: started, finishedAt: Date())
    switch result {
    case .ran(let report) where report.succeeded: return .succeeded(detail: report.backupID ?? "")
    case .ran(let report) where report.interrupted: return .skipped(reason: "interrupted")
    case .ran(let report): return .failed(reason: report.reason ?? "exit status \(report.status)")
    case .skipped(let reason): return .skipped(reason: reason)
    case .failed(let reason): return .failed(reason: reason)
    case .lost(let reason): return .skipped(reason: "lost: \(reason)")
    }
  }
}

extension PolicySet {
  func entry(named name: String) -> Entry? { entries.first { $0.policy.name == name } }
}
