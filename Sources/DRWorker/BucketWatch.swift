import DRCore
import DRPolicy
import Foundation
import Logging

/// Reads every policy's bucket at start and then every `interval`, for `/readyz` and for
/// what `/metrics` knows from the bucket.
///
/// Until a read of a policy's catalogue succeeds, each round reads it whole (its last
/// backup, last passed verification and newest verified backup); once one did, a round
/// only lists one key, which proves the bucket still answers. So the bucket is read once
/// per interval and policy, however often the probes ask.
struct BucketWatch: Sendable {
  let metrics: WorkerMetrics
  let health: HealthState
  let readiness: ReadinessState
  let variables: [String: String]
  let interval: Duration
  let logger: Logger

  /// Every `interval` until cancelled, one round over the policies.
  func run(_ policies: [Policy]) async {
    while !Task.isCancelled {
      guard (try? await Task.sleep(for: interval)) != nil else { return }
      for policy in policies where !Task.isCancelled { await check(policy) }
    }
  }

  /// One read of the policy's bucket, recorded.
  func check(_ policy: Policy) async {
    let reader = LastSuccess(policy: policy, variables: variables)
    let known = readiness.hasRead(policy: policy.name)
    let failedBefore = readiness.lastReadFailed(policy: policy.name)
    do {
      if known {
        try await reader.probe()
      } else {
        record(policy.name, try await reader.records())
      }
      let now = Date()
      readiness.bucketRead(policy: policy.name, succeeded: true, at: now)
      metrics.bucketRead(policy: policy.name, at: now)
      if failedBefore { logger.info("bucket readable again", metadata: ["policy": "\(policy.name)"]) }
    } catch {
      let problem = HealthText.brief("\(error)".redacted)
      readiness.bucketRead(policy: policy.name, succeeded: false, problem: problem, at: Date())
      if !failedBefore {
        logger.warning("bucket unreadable", metadata: ["policy": "\(policy.name)", "reason": "\(problem)"])
      }
    }
  }

  private func record(_ policy: String, _ records: BucketRecords) {
    metrics.bucketRecords(policy: policy, lastBackup: records.lastBackup, lastVerification: records.lastVerification)
    if let newest = records.newestVerified {
      metrics.newestVerifiedBackup(policy: policy, at: newest)
      health.newestVerifiedBackup(policy: policy, at: newest)
    }
  }
}
